package io.salesync.branch;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.branch.messaging.RelayStatus;
import io.salesync.branch.messaging.RelayStatus.BrokerState;
import io.salesync.branch.service.SyncState;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BranchOfficeDesktopTest {

    @ParameterizedTest
    @CsvSource({
        "STARTING, CONNECTING",
        "CONNECTED, CONNECTED",
        "RECONNECTING, RECONNECTING",
        "STANDBY, STANDBY",
        "STOPPED, OFFLINE"
    })
    void relayStatesBecomeWhatTheClerkSees(BrokerState relay, SyncState.Broker shown) {
        assertThat(BranchOfficeDesktop.toSyncState(status(relay)).broker()).isEqualTo(shown);
    }

    @Test
    void everyFigureIsCarriedOver() {
        Instant since = Instant.parse("2026-11-26T10:42:00Z");
        Instant confirmed = Instant.parse("2026-11-26T10:43:07Z");
        RelayStatus status =
                new RelayStatus(BrokerState.RECONNECTING, "connection refused", since, 7, confirmed, 41, "db down");

        assertThat(BranchOfficeDesktop.toSyncState(status))
                .isEqualTo(new SyncState(
                        SyncState.Broker.RECONNECTING, "connection refused", since, 7, confirmed, 41, "db down"));
    }

    private static RelayStatus status(BrokerState state) {
        return new RelayStatus(state, null, Instant.EPOCH, 0, null, 0, null);
    }
}
