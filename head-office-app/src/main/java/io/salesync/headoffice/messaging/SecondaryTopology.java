package io.salesync.headoffice.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the head office declares beside its queue, on channels of its own, so that a failure there
 * (a node is down, a declaration is refused) neither closes the channel the
 * consumer acknowledges on nor stops it consuming: the dead-letter queue once per session, taking
 * the classic dead-letter queue of earlier versions out of the dead-letter exchange; and a branch's
 * control queue the first time the consumer hears from the branch, so that the branch, which may
 * create nothing itself, can listen for the head office's requests.
 *
 * <p>Control queues are declared on a thread of their own ("ho-control-queues"), one after another:
 * a replicated queue takes the broker a while to create, and with hundreds of branches heard from
 * at once the consumer would otherwise hand nothing to the appliers until every one was declared.
 * Nothing waits for them: the head office declares a branch's control queue again before it sends
 * the branch a request.
 *
 * <p>{@link #declareDeadLetters}, {@link #ensure} and {@link #reset}: consumer thread only.
 */
final class SecondaryTopology implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SecondaryTopology.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** A control queue to declare on a session's connection. */
    private record Declaration(Connection connection, String branchId, long session) {}

    private final BrokerConnector connector;
    private final Topology topology;
    private final Set<String> declared = ConcurrentHashMap.newKeySet();
    private final Set<String> requested = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> failedAt = new ConcurrentHashMap<>();
    private final BlockingQueue<Declaration> declarations = new LinkedBlockingQueue<>();
    private volatile long session;
    private Thread declarer;
    /** The declaring thread's channel. */
    private Channel channel;

    SecondaryTopology(BrokerConnector connector, Topology topology) {
        this.connector = connector;
        this.topology = topology;
    }

    /**
     * Declares the dead-letter queue; the one of earlier versions, when there is one, is taken out of
     * the dead-letter exchange (its messages stay for the operator). A failure is said and tried
     * again with the next session.
     */
    void declareDeadLetters(Connection connection) {
        Channel opened = null;
        try {
            opened = connection.createChannel();
            if (LegacyQueue.exists(connection, topology.legacyDeadLetterQueue())) {
                opened.queueUnbind(topology.legacyDeadLetterQueue(), topology.deadLetterExchange(), "");
                log.info(
                        "{} (the dead-letter queue of an earlier version) no longer receives dead letters; they go to {}."
                                + " Look through what it holds, then delete it.",
                        topology.legacyDeadLetterQueue(),
                        topology.deadLetterQueue());
            }
            topology.declareDeadLetters(opened);
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "Could not declare the dead-letter queue {} ({}); refused messages are rejected to it once it"
                            + " exists",
                    topology.deadLetterQueue(),
                    connector.describe(e));
        } finally {
            close(opened);
        }
    }

    /**
     * Has the branch's control queue declared unless this session did or it is on its way. A failure
     * (the broker refuses, or the node of an earlier version's classic queue is down) is said once
     * and tried again with the branch's messages, at most every {@link #RETRY_AFTER}.
     */
    void ensure(Connection connection, String branchId) {
        if (declared.contains(branchId)) {
            return;
        }
        Long failed = failedAt.get(branchId);
        if (failed != null && System.nanoTime() - failed < RETRY_AFTER.toNanos()) {
            return;
        }
        if (requested.add(branchId)) {
            startDeclarer();
            declarations.add(new Declaration(connection, branchId, session));
        }
    }

    private void startDeclarer() {
        if (declarer == null) {
            declarer = new Thread(this::declareAll, "ho-control-queues");
            declarer.setDaemon(true);
            declarer.start();
        }
    }

    private void declareAll() {
        try {
            while (true) {
                Declaration next = declarations.take();
                if (next.session() == session) {
                    declare(next);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(channel);
            channel = null;
        }
    }

    private void declare(Declaration declaration) {
        String branchId = declaration.branchId();
        Exception failure = null;
        try {
            if (!topology.declareControlQueue(channel(declaration.connection()), branchId)) {
                log.info(
                        "{} is a queue of an earlier version and still holds requests: it stays until branch {} has taken"
                                + " them, and is replaced by a replicated queue after",
                        topology.controlQueue(branchId),
                        branchId);
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
            close(channel);
            channel = null;
        }
        synchronized (this) {
            if (declaration.session() != session) {
                return;
            }
            requested.remove(branchId);
            if (failure == null) {
                declared.add(branchId);
                if (failedAt.remove(branchId) != null) {
                    log.info("Declared the control queue of branch {}", branchId);
                }
            } else if (failedAt.put(branchId, System.nanoTime()) == null) {
                log.warn(
                        "Could not declare the control queue of branch {} ({}); trying again every {} s while its changes"
                                + " arrive",
                        branchId,
                        connector.describe(failure),
                        RETRY_AFTER.toSeconds());
            } else {
                log.debug("Could not declare the control queue of branch {}: {}", branchId, failure.getMessage());
            }
        }
    }

    private Channel channel(Connection connection) throws IOException {
        if (channel == null || !channel.isOpen() || channel.getConnection() != connection) {
            close(channel);
            channel = connection.createChannel();
        }
        return channel;
    }

    /** A new session: declared again as branches are heard from. */
    synchronized void reset() {
        session++;
        declarations.clear();
        declared.clear();
        requested.clear();
        failedAt.clear();
    }

    /** Stops declaring; what was not declared yet is declared in the next process's session. */
    @Override
    public void close() {
        reset();
        Thread thread = declarer;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void close(Channel channel) {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                log.debug("Closing a channel of the secondary topology: {}", e.getMessage());
            }
        }
    }
}
