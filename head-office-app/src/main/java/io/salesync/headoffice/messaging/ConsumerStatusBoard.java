package io.salesync.headoffice.messaging;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import io.salesync.common.StatusBoard;
import io.salesync.headoffice.service.ConsumerStatus;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's {@link ConsumerStatus}: read by any thread, changed by the consumer thread, the
 * lanes and the client's connection callbacks, and told to the listener only when it changed.
 */
final class ConsumerStatusBoard extends StatusBoard<ConsumerStatus> {

    private static final Logger log = LoggerFactory.getLogger(ConsumerStatusBoard.class);

    /** Deliveries received and not yet taken by the consumer thread, for the status's backlog. */
    private final IntSupplier queued;

    ConsumerStatusBoard(Consumer<ConsumerStatus> listener, IntSupplier queued) {
        super(ConsumerStatus.starting(), listener);
        this.queued = queued;
    }

    /** Whether the broker is reachable, with the sentence that explains it (null when there is nothing to say). */
    void broker(boolean connected, String detail) {
        update(s -> s.withBroker(connected, detail, queued.getAsInt()));
    }

    /**
     * Reports the connection's loss and its recovery (the client recovers it by itself).
     *
     * @param running whether the consumer still runs: a connection it closes itself is not a loss
     * @param lost told when the connection is lost (whoever was active consumer, this process no longer is)
     * @param standingBy read again when it is recovered: another process may have become the active one
     */
    void watch(Connection connection, BooleanSupplier running, Runnable lost, BooleanSupplier standingBy) {
        connection.addShutdownListener(cause -> {
            if (running.getAsBoolean() && !cause.isInitiatedByApplication()) {
                lost.run();
                // BrokerConnector says so once per outage, in words.
                log.debug("Lost the broker connection ({}); recovering", cause.getMessage());
                broker(false, "connection lost: " + cause.getMessage());
            }
        });
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    log.debug("Broker connection recovered");
                    update(s -> s.withBroker(true, null, queued.getAsInt()).withStandby(standingBy.getAsBoolean()));
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    // reported by the shutdown listener
                }
            });
        }
    }
}
