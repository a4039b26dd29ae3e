package io.salesync.branch.messaging;

import io.salesync.branch.messaging.RelayStatus.BrokerState;
import io.salesync.common.StatusBoard;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The relay's {@link RelayStatus}: read by any thread, changed by the relay thread (and the
 * connector's callbacks), and told to the listener only when it changed.
 */
final class RelayStatusBoard extends StatusBoard<RelayStatus> {

    private final Clock clock;

    RelayStatusBoard(Clock clock, Consumer<RelayStatus> listener) {
        super(RelayStatus.starting(clock.instant()), listener);
        this.clock = clock;
    }

    BrokerState broker() {
        return current().broker();
    }

    /** A new broker state, with the sentence that explains it (null when there is nothing to say). */
    void broker(BrokerState state, String detail) {
        update(s -> s.withBroker(state, detail, clock.instant()));
    }
}
