package io.salesync.headoffice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.event.BranchCommand;
import io.salesync.common.testing.Sandbox;
import io.salesync.headoffice.persistence.BranchRequestRepository;
import io.salesync.headoffice.persistence.VerificationRepository;
import io.salesync.headoffice.service.LostChangeRecovery;
import io.salesync.headoffice.service.RecordingBranchRequests;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the head office asks branches to send their changes again, against the real verification
 * tables: a gap past the report time once, the same gap not again and again, every branch when the
 * queue was lost, never a branch in the middle of a resync.
 */
class LostChangeRecoveryIT {

    private static final Instant GAP_OPENED = Instant.parse("2026-11-27T09:00:00Z");
    private static final Duration REPORT_AFTER = Duration.ofSeconds(60);

    private final Sandbox sandbox = new Sandbox();
    private final List<BranchCommand> sent = new ArrayList<>();
    private com.zaxxer.hikari.HikariDataSource dataSource;
    private Instant now;

    @BeforeEach
    void migrate() {
        dataSource = sandbox.dataSource("ho");
        DatabaseSettings settings = new DatabaseSettings(
                sandbox.mysql().url(sandbox.schema("ho")),
                sandbox.mysql().user(),
                sandbox.mysql().password(),
                2);
        Databases.migrate(dataSource, "head-office", settings);
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    @Test
    void aGapPastTheReportTimeIsAskedForOnceAndAgainOnlyWhenItMoves() throws Exception {
        progress("bo1", 10, "15-20", GAP_OPENED);
        progress("bo2", 7, null, null);

        recoveryAt(GAP_OPENED.plusSeconds(30)).askBranchesWithOldGaps();
        assertThat(sent).as("not yet past the report time").isEmpty();

        recoveryAt(GAP_OPENED.plusSeconds(61)).askBranchesWithOldGaps();
        assertThat(sent)
                .extracting(BranchCommand::branchId, BranchCommand::action, BranchCommand::fromSeq)
                .containsExactly(tuple("bo1", BranchCommand.Action.RESEND, 11L));

        recoveryAt(GAP_OPENED.plusSeconds(600)).askBranchesWithOldGaps();
        assertThat(sent).as("the same gap, asked for already").hasSize(1);

        progress("bo1", 14, "16-20", GAP_OPENED);
        recoveryAt(GAP_OPENED.plusSeconds(700)).askBranchesWithOldGaps();
        assertThat(sent)
                .extracting(BranchCommand::branchId, BranchCommand::fromSeq)
                .last()
                .isEqualTo(tuple("bo1", 15L));

        recoveryAt(GAP_OPENED.plusSeconds(700).plus(Duration.ofDays(1))).askBranchesWithOldGaps();
        assertThat(sent).as("a day later the same gap is asked for once more").hasSize(3);
        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM branch_request WHERE action = 'resend'"))
                .isEqualTo(3);
    }

    @Test
    void aLostQueueAsksEveryBranchFromWhatTheHeadOfficeHoldsButNotOneInTheMiddleOfAResync() throws Exception {
        progress("bo1", 10, "15-20", GAP_OPENED);
        progress("bo2", 7, null, null);
        progress("bo3", 3, null, null);
        try (var connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("UPDATE branch_progress SET resync_id = ?,"
                        + " resync_started_at = ?, resync_finished_at = NULL WHERE branch_id = 'bo3'")) {
            statement.setString(1, "0b7e3c55-2f7a-4a59-8d8e-6f5f7d0c1e21");
            statement.setTimestamp(2, Timestamp.from(GAP_OPENED));
            statement.executeUpdate();
        }

        recoveryAt(GAP_OPENED).askEveryBranch("the queue was lost");

        assertThat(sent)
                .extracting(BranchCommand::branchId, BranchCommand::fromSeq)
                .containsExactlyInAnyOrder(tuple("bo1", 11L), tuple("bo2", 8L));
    }

    private LostChangeRecovery recoveryAt(Instant at) {
        now = at;
        BranchRequestRepository log = new BranchRequestRepository(dataSource);
        RecordingBranchRequests requests = new RecordingBranchRequests(
                log,
                sent::add,
                new DatabaseSettings(
                        sandbox.mysql().url(sandbox.schema("ho")),
                        sandbox.mysql().user(),
                        sandbox.mysql().password(),
                        2));
        return new LostChangeRecovery(
                new VerificationRepository(dataSource), log, requests, REPORT_AFTER, Clock.fixed(now, ZoneOffset.UTC));
    }

    /** A branch's progress row: every change up to {@code contiguous}, these ranges above, a gap since. */
    private void progress(String branch, long contiguous, String ranges, Instant gapSince) throws Exception {
        try (var connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("""
                     INSERT INTO branch_progress (branch_id, last_seq, applied_changes, last_message_at, last_applied_at,
                                                  contiguous_seq, received_ranges, gap_since)
                     VALUES (?, ?, 0, ?, ?, ?, ?, ?)
                     ON DUPLICATE KEY UPDATE contiguous_seq = VALUES(contiguous_seq), received_ranges = VALUES(received_ranges),
                                             gap_since = VALUES(gap_since)""")) {
            statement.setString(1, branch);
            statement.setLong(2, contiguous);
            statement.setTimestamp(3, Timestamp.from(GAP_OPENED));
            statement.setTimestamp(4, Timestamp.from(GAP_OPENED));
            statement.setLong(5, contiguous);
            statement.setString(6, ranges);
            statement.setTimestamp(7, gapSince == null ? null : Timestamp.from(gapSince));
            statement.executeUpdate();
        }
    }
}
