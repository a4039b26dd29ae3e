package io.salesync.branch.messaging;

import com.rabbitmq.client.Connection;
import io.salesync.branch.messaging.RelayStatus.BrokerState;
import io.salesync.branch.persistence.OutboxRepository;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's connection and its current channel: connects (retrying with backoff), opens a channel
 * with a fresh window, and gives a failed one up: keeps what its window had confirmed, notes the
 * failure on the outbox row it concerns, says why once per kind of failure, and waits longer after
 * each failure in a row (0.5 s doubling to 10 s, whatever arrives meanwhile). After a failure the
 * next channel sends one message at a time until the broker confirms one ({@link #probing()}).
 *
 * <p>Relay thread only.
 */
final class RelaySession {

    private static final Logger log = LoggerFactory.getLogger(RelaySession.class);
    private static final Duration FAILURE_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_FAILURE_PAUSE = Duration.ofSeconds(10);

    private final String branchId;
    private final BrokerConnector connector;
    private final Topology topology;
    private final OutboxRepository outbox;
    private final ConfirmedMarks marks;
    private final RelayStatusBoard status;
    private final Wakeup wakeup;
    private final BooleanSupplier running;
    private final Runnable eachAttempt;
    private Connection connection;
    private RelayChannel channel;
    private boolean probing;
    private String lastFailureLogged;
    private Duration failurePause = FAILURE_PAUSE;

    /** @param eachAttempt run after each failed attempt to connect (the relay refreshes the backlog it shows) */
    RelaySession(
            String branchId,
            BrokerConnector connector,
            Topology topology,
            OutboxRepository outbox,
            ConfirmedMarks marks,
            RelayStatusBoard status,
            Wakeup wakeup,
            BooleanSupplier running,
            Runnable eachAttempt) {
        this.branchId = branchId;
        this.connector = connector;
        this.topology = topology;
        this.outbox = outbox;
        this.marks = marks;
        this.status = status;
        this.wakeup = wakeup;
        this.running = running;
        this.eachAttempt = eachAttempt;
    }

    /** The channel in use, or null when there is none open. */
    RelayChannel channel() {
        return channel != null && channel.isOpen() ? channel : null;
    }

    /** One message at a time, until the broker confirms one after a failure. */
    boolean probing() {
        return probing;
    }

    /**
     * Opens a channel (connecting first when needed) after a closed one was given up.
     *
     * @return the new channel, or null when told to stop first
     * @throws IOException when the channel cannot be opened or the sales exchange does not exist yet
     */
    RelayChannel open() throws InterruptedException, IOException {
        if (channel != null) {
            // Closed under the relay, by the broker (a refused permission, say) or with the connection.
            ConfirmWindow.Failure failure = channel.window().failure();
            giveUp(failure != null ? failure : new ConfirmWindow.Failure(0, "the channel was closed", false));
            if (!running.getAsBoolean()) {
                return null;
            }
        }
        if (connection == null || !connection.isOpen()) {
            closeConnection();
            if (status.broker() != BrokerState.RECONNECTING) {
                status.broker(
                        BrokerState.RECONNECTING,
                        "connecting to " + connector.settings().hostAndPort());
            }
            connection = connector.connectWithRetry(running, reason -> {
                status.broker(BrokerState.RECONNECTING, reason);
                eachAttempt.run();
            });
            if (connection == null) {
                return null;
            }
        }
        channel = RelayChannel.open(
                connection, topology, branchId, connector.settings().user(), unroutable(), wakeup::signal);
        return channel;
    }

    /** The broker confirmed a change: publishing works again. */
    void confirmed() {
        probing = false;
        failurePause = FAILURE_PAUSE;
        if (status.broker() != BrokerState.CONNECTED) {
            lastFailureLogged = null;
            log.info("Branch {}: RabbitMQ confirms changes again", branchId);
            status.broker(BrokerState.CONNECTED, null);
        }
    }

    /** Gives the channel up after a failure, then waits (see the class comment). */
    void giveUp(ConfirmWindow.Failure failure) {
        ConfirmWindow.Closed closed = channel == null ? null : channel.close();
        channel = null;
        if (closed != null) {
            marks.add(closed.confirmed());
        }
        probing = true;
        report(failure, closed);
        pause(failurePause);
        Duration doubled = failurePause.multipliedBy(2);
        failurePause = doubled.compareTo(MAX_FAILURE_PAUSE) > 0 ? MAX_FAILURE_PAUSE : doubled;
    }

    /** Closes the channel to start over with a new one; what its window confirmed since is left behind. */
    void startOver() {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /** Waits for the last confirms, then closes the channel and the connection. */
    void close() {
        if (channel != null) {
            try {
                channel.waitForConfirms(2_000);
                marks.add(channel.window().takeConfirmed());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException | RuntimeException e) {
                log.debug(
                        "Last confirms not received on shutdown ({}); those changes will be sent again",
                        e.getMessage());
            }
            channel.close();
            channel = null;
        }
        closeConnection();
    }

    private void report(ConfirmWindow.Failure failure, ConfirmWindow.Closed closed) {
        String reason = failure.reason();
        boolean connected = connection != null && connection.isOpen();
        if (!connected) {
            log.debug("Branch {}: publishing stopped ({})", branchId, reason); // the connector says so once per outage
        } else if (!reason.equals(lastFailureLogged)) {
            log.warn(
                    "Branch {}: publishing stopped ({}); sending again from the first unconfirmed change",
                    branchId,
                    reason);
            lastFailureLogged = reason;
        } else {
            log.debug("Branch {}: publishing stopped again ({})", branchId, reason);
        }
        long blame = failure.seq() != 0 ? failure.seq() : closed != null ? closed.firstUnsettled() : 0;
        if (blame != 0) {
            try {
                outbox.recordFailure(blame, reason);
            } catch (SQLException e) {
                log.debug("Could not record the failure in the outbox: {}", e.getMessage());
            }
        }
        status.broker(
                failure.unroutable()
                        ? BrokerState.NO_QUEUE
                        : connected ? BrokerState.CONNECTED : BrokerState.RECONNECTING,
                reason);
    }

    /**
     * Drops the connection without waiting for RabbitMQ, which did not answer in time: it can stop
     * reading a connection for good (RabbitMQ 3.10 leaves a channel in flow control when the quorum
     * queue it was publishing to is deleted), and then every operation on it waits in vain. The next
     * attempt opens a new connection; the channel is given up with it.
     */
    void abandonConnection(String why) {
        if (connection != null) {
            log.info("Branch {}: RabbitMQ did not answer on this connection ({}); opening a new one", branchId, why);
            connection.abort(1_000);
            connection = null;
        }
    }

    /** Why a returned message was not taken, for the clerk and the operator. */
    private String unroutable() {
        return "RabbitMQ has no queue for this branch's changes: the head office's queue " + topology.salesQueue()
                + " does not exist or is not bound to " + topology.salesExchange() + " for "
                + Topology.routingKey(branchId)
                + ". Changes wait in the outbox and are sent once it exists (the head office declares it when it starts).";
    }

    /** Waits the whole time whatever arrives; only the relay's stop ends it early. */
    void pause(Duration duration) {
        try {
            wakeup.pause(duration, running);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the broker connection: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
