package io.salesync.common.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens RabbitMQ connections, by default with automatic connection and topology recovery. The
 * client recovers a connection that was lost; the first connection it does not retry, so
 * {@link #connectWithRetry} does, with exponential backoff.
 *
 * <p>With the nodes of a cluster ({@link BrokerSettings#nodes()}), every connection, the first and
 * each one the client opens to recover, goes to the first node that answers in a new random order
 * of the list, so connections spread over the nodes and a lost node's connections move to the
 * others. With TLS each node's certificate is checked against the host name it is listed under.
 *
 * <p>An outage is logged once: a WARN when a connection is lost or the first attempt fails, DEBUG
 * for the attempts that follow (the client's recovery attempts too, through an
 * {@link OutageExceptionHandler}; stack traces only there), an INFO with its length when a
 * connection works again. Every connector of the process to the same broker, vhost and user
 * shares that log ({@link OutageLog}).
 */
public final class BrokerConnector {

    private static final Logger log = LoggerFactory.getLogger(BrokerConnector.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration RECOVERY_INTERVAL = Duration.ofSeconds(2);
    /**
     * Longest wait for RabbitMQ's reply to a channel operation (open, declare, confirm.select...),
     * instead of the client's 10 minutes: a connection RabbitMQ has stopped reading then fails
     * with a {@code ChannelContinuationTimeoutException}, and its owner can replace it.
     */
    public static final Duration RPC_TIMEOUT = Duration.ofSeconds(15);

    private final BrokerSettings settings;
    private final String connectionName;
    private final ConnectionFactory factory;
    private final List<Address> nodes;
    private final OutageLog outage;

    /** A connector whose connections recover by themselves after a network failure. */
    public BrokerConnector(BrokerSettings settings, String connectionName) {
        this(settings, connectionName, true);
    }

    /**
     * @param automaticRecovery false for a caller that recovers by itself, step by step (the relay
     *                          does, so that no confirm of an old channel is mistaken for a new one)
     */
    public BrokerConnector(BrokerSettings settings, String connectionName, boolean automaticRecovery) {
        this.settings = settings;
        this.connectionName = connectionName;
        this.factory = new ConnectionFactory();
        try {
            factory.setUri(settings.uri());
            if (settings.tls()) {
                // setUri alone would trust any certificate; trust only the configured authorities and check the name.
                factory.useSslProtocol(BrokerTls.context(settings.tlsCaFile()));
                factory.enableHostnameVerification();
            }
        } catch (URISyntaxException | NoSuchAlgorithmException | KeyManagementException e) {
            throw new IllegalArgumentException("unusable broker URI " + settings.uri() + ": " + e.getMessage(), e);
        }
        this.nodes = settings.nodes().stream()
                .map(node -> new Address(node.host(), node.port()))
                .toList();
        factory.setUsername(settings.user());
        factory.setPassword(settings.password());
        factory.setAutomaticRecoveryEnabled(automaticRecovery);
        factory.setTopologyRecoveryEnabled(automaticRecovery);
        factory.setNetworkRecoveryInterval(RECOVERY_INTERVAL.toMillis());
        factory.setChannelRpcTimeout((int) RPC_TIMEOUT.toMillis());
        factory.setRequestedHeartbeat(10);
        factory.setConnectionTimeout(5_000);
        factory.setHandshakeTimeout(10_000);
        factory.setShutdownTimeout(5_000);
        factory.setThreadFactory(namedThreads(connectionName));
        // Added to the client's own properties, not in their place: those announce its capabilities,
        // without which RabbitMQ sends no consumer cancel when a queue is deleted, nor blocked notices.
        Map<String, Object> properties = new HashMap<>(factory.getClientProperties());
        properties.put("product", "salesync");
        properties.put("connection_name", connectionName);
        factory.setClientProperties(properties);
        this.outage = OutageLog.of(settings);
        factory.setExceptionHandler(new OutageExceptionHandler(
                outage,
                new OutageExceptionHandler.Describer() {
                    @Override
                    public String sentence(Throwable error) {
                        return describe(error);
                    }

                    @Override
                    public boolean refused(Throwable error) {
                        return isRefusal(error);
                    }
                },
                "Retrying every " + RECOVERY_INTERVAL.toSeconds() + " s."));
    }

    public BrokerSettings settings() {
        return settings;
    }

    /** One attempt; logs nothing when it fails (the caller reports it), and ends an outage in progress when it works. */
    public Connection connect() throws BrokerUnavailableException {
        Connection connection = open();
        outage.connected();
        return connection;
    }

    /** One attempt, with the listeners that tell the outage log when the connection is lost and recovered. */
    private Connection open() throws BrokerUnavailableException {
        Connection connection;
        try {
            connection = nodes.isEmpty()
                    ? factory.newConnection(connectionName)
                    : factory.newConnection(shuffled(), connectionName);
        } catch (IOException | TimeoutException e) {
            throw new BrokerUnavailableException(describe(e), e);
        }
        connection.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                outage.lost(reason(cause));
            }
        });
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    outage.connected();
                    if (!nodes.isEmpty() && recovered instanceof Connection again) {
                        log.info("Connection {} recovered on RabbitMQ node {}", connectionName, node(again));
                    }
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    // the shutdown listener has reported the loss
                }
            });
        }
        return connection;
    }

    /**
     * Tries until connected or until {@code keepTrying} says stop, waiting about 0.5 s, 1 s, 2 s ... up to
     * 5 s between attempts, each pause spread by a quarter at random.
     *
     * @param onFailure told the sentence describing each failed attempt (for a status line)
     * @return the connection, or null when told to stop first
     */
    public Connection connectWithRetry(BooleanSupplier keepTrying, Consumer<String> onFailure)
            throws InterruptedException {
        long backoffMillis = 500;
        while (keepTrying.getAsBoolean()) {
            try {
                Connection connection = open();
                boolean outageEnded = outage.connected();
                if (!outageEnded && nodes.isEmpty()) {
                    log.info(
                            "Connected to RabbitMQ at {} (vhost {}) as {}",
                            settings.hostAndPort(),
                            settings.virtualHost(),
                            settings.user());
                } else if (!outageEnded) {
                    log.info(
                            "Connected to RabbitMQ node {} of {} (vhost {}) as {}",
                            node(connection),
                            settings.hostAndPort(),
                            settings.virtualHost(),
                            settings.user());
                } else if (!nodes.isEmpty()) {
                    log.info("Connection {} is on RabbitMQ node {}", connectionName, node(connection));
                }
                return connection;
            } catch (BrokerUnavailableException e) {
                // A quarter of random spread, so that branches cut off together do not retry in step.
                long pause = backoffMillis * 3 / 4 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
                outage.attemptFailed(
                        e.getMessage(), isRefusal(e.getCause()), e.getCause(), "Retrying in " + pause + " ms.");
                onFailure.accept(e.getMessage());
                Thread.sleep(pause);
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            }
        }
        return null;
    }

    /**
     * The nodes in a new random order. The client takes the first node that answers in the order
     * it is given; it shuffles the list again itself at each recovery of a connection that recovers
     * by itself, but not for a connection without automatic recovery (the relay's), which would
     * otherwise always go to the first node of the list that runs.
     */
    private List<Address> shuffled() {
        List<Address> order = new ArrayList<>(nodes);
        Collections.shuffle(order);
        return order;
    }

    /** The node a connection is open to, {@code address:port}. */
    public static String node(Connection connection) {
        return connection.getAddress().getHostAddress() + ":" + connection.getPort();
    }

    /** A sentence saying what failed and what to check. */
    public String describe(Exception error) {
        return describe((Throwable) error);
    }

    private String describe(Throwable error) {
        String where = "RabbitMQ at " + settings.hostAndPort() + " (vhost " + settings.virtualHost() + ")";
        if (error instanceof AuthenticationFailureException
                || error instanceof PossibleAuthenticationFailureException) {
            return where + " refused user " + settings.user() + ": check " + BrokerSettings.USER + " and "
                    + BrokerSettings.PASSWORD + ", and that the user may use the vhost.";
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TopologyMissingException missing) {
                return where + ": " + missing.getMessage();
            }
        }
        String detail = String.valueOf(rootMessage(error));
        if (detail.contains("ACCESS_REFUSED")
                || detail.contains("NOT_FOUND")
                || detail.contains("PRECONDITION_FAILED")) {
            return where + " refused an operation of user " + settings.user() + ": " + detail;
        }
        if (isVhostRefusal(detail)) {
            return where + " refused the connection: " + detail + ". Check the vhost in " + BrokerSettings.URI_KEY
                    + ".";
        }
        return "Cannot reach " + where + " as user " + settings.user() + ": is it running? (" + detail + ")";
    }

    /** The broker answered and refused the user or the vhost: waiting alone will not help. */
    private static boolean isRefusal(Throwable error) {
        if (error instanceof AuthenticationFailureException
                || error instanceof PossibleAuthenticationFailureException) {
            return true;
        }
        String detail = error == null ? "" : String.valueOf(rootMessage(error));
        return detail.contains("ACCESS_REFUSED") || isVhostRefusal(detail);
    }

    private static boolean isVhostRefusal(String detail) {
        return detail.contains("access to vhost") || detail.contains("vhost") && detail.contains("not found");
    }

    /** Why the broker or the network closed a connection, in its own words. */
    private static String reason(ShutdownSignalException cause) {
        if (cause.getReason() instanceof AMQP.Connection.Close close) {
            return close.getReplyText();
        }
        Throwable socket = cause.getCause();
        if (socket != null) {
            return socket.getMessage() != null
                    ? socket.getMessage()
                    : socket.getClass().getSimpleName();
        }
        return cause.getMessage();
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static ThreadFactory namedThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "amqp-" + prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
