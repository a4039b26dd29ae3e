package io.salesync.branch.messaging;

import io.salesync.branch.messaging.RelayStatus.BrokerState;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The relay's {@link RelayStatus}: read by any thread, changed by the relay thread (and the
 * connector's callbacks), and told to the listener only when it changed.
 */
final class RelayStatusBoard {

    private final Object lock = new Object();
    private final Clock clock;
    private final Consumer<RelayStatus> listener;
    private volatile RelayStatus status;

    RelayStatusBoard(Clock clock, Consumer<RelayStatus> listener) {
        this.clock = clock;
        this.listener = listener;
        this.status = RelayStatus.starting(clock.instant());
    }

    RelayStatus current() {
        return status;
    }

    BrokerState broker() {
        return status.broker();
    }

    /** A new broker state, with the sentence that explains it (null when there is nothing to say). */
    void broker(BrokerState state, String detail) {
        update(s -> s.withBroker(state, detail, clock.instant()));
    }

    /** Applies a change and tells the listener, only when something changed. */
    void update(UnaryOperator<RelayStatus> change) {
        RelayStatus previous;
        RelayStatus next;
        synchronized (lock) {
            previous = status;
            next = change.apply(previous);
            status = next;
        }
        if (!next.equals(previous)) {
            listener.accept(next);
        }
    }
}
