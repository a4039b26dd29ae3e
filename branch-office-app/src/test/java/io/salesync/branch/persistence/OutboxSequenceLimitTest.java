package io.salesync.branch.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesync.common.event.BranchMessage;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The branch hands out no sequence number above {@link BranchMessage#MAX_SEQ}: the head office
 * would refuse its message, so the change is not written at all.
 */
class OutboxSequenceLimitTest {

    private static final long MAX = BranchMessage.MAX_SEQ;

    @Test
    void numbersUpToTheMaximumAreHandedOut() throws SQLException {
        assertThat(OutboxRepository.requireWithinProtocol(1, 500)).isEqualTo(1);
        assertThat(OutboxRepository.requireWithinProtocol(MAX, 1)).isEqualTo(MAX);
        assertThat(OutboxRepository.requireWithinProtocol(MAX - 499, 500)).isEqualTo(MAX - 499);
    }

    @Test
    void aReservationReachingPastTheMaximumIsRefused() {
        assertThatThrownBy(() -> OutboxRepository.requireWithinProtocol(MAX + 1, 1))
                .isInstanceOf(SQLException.class)
                .hasMessage(
                        "this branch has used every sequence number the protocol allows (up to 10000000000000): change"
                                + " 10000000000001 would be refused by the head office, so it is not written");
        assertThatThrownBy(() -> OutboxRepository.requireWithinProtocol(MAX - 498, 500))
                .hasMessageContaining("change 10000000000001 would be refused");
    }

    @Test
    void readingTheNextNumberWithoutReservingOneIsAllowedEvenWhenAllAreUsed() throws SQLException {
        assertThat(OutboxRepository.requireWithinProtocol(MAX + 1, 0)).isEqualTo(MAX + 1);
    }
}
