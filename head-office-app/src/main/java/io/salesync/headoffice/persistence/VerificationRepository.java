package io.salesync.headoffice.persistence;

import io.salesync.common.EventThreadGuard;
import io.salesync.common.db.SaleChecksum;
import io.salesync.common.db.SqlValues;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.ResyncMarker;
import io.salesync.headoffice.model.DailyDelta;
import io.salesync.headoffice.model.Verification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The head office's verification tables: per branch, which sequence numbers were applied, the
 * latest checkpoint verdict and the latest resync. Methods that take a {@link Connection} run in the
 * caller's (the applier's) transaction.
 */
public final class VerificationRepository {

    /** Sequence state of one branch as stored, and whether a resync of it is running. */
    public record SequenceState(long contiguousSeq, String receivedRanges, Instant gapSince, boolean resyncRunning) {}

    private static final String RECORD_CHECKPOINT = """
            INSERT INTO branch_checkpoint (branch_id, seq, taken_at, trigger_reason, evaluated_at, branch_rows,
                branch_live_rows, branch_checksum, ho_rows, ho_live_rows, ho_checksum, missing_changes, matched,
                last_matched_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE
                last_matched_at  = IF(VALUES(seq) >= seq, COALESCE(VALUES(last_matched_at), last_matched_at), last_matched_at),
                taken_at         = IF(VALUES(seq) >= seq, VALUES(taken_at), taken_at),
                trigger_reason   = IF(VALUES(seq) >= seq, VALUES(trigger_reason), trigger_reason),
                evaluated_at     = IF(VALUES(seq) >= seq, VALUES(evaluated_at), evaluated_at),
                branch_rows      = IF(VALUES(seq) >= seq, VALUES(branch_rows), branch_rows),
                branch_live_rows = IF(VALUES(seq) >= seq, VALUES(branch_live_rows), branch_live_rows),
                branch_checksum  = IF(VALUES(seq) >= seq, VALUES(branch_checksum), branch_checksum),
                ho_rows          = IF(VALUES(seq) >= seq, VALUES(ho_rows), ho_rows),
                ho_live_rows     = IF(VALUES(seq) >= seq, VALUES(ho_live_rows), ho_live_rows),
                ho_checksum      = IF(VALUES(seq) >= seq, VALUES(ho_checksum), ho_checksum),
                missing_changes  = IF(VALUES(seq) >= seq, VALUES(missing_changes), missing_changes),
                matched          = IF(VALUES(seq) >= seq, VALUES(matched), matched),
                seq              = GREATEST(seq, VALUES(seq))
            """;

    private static final String VERIFICATIONS = """
            SELECT p.branch_id, p.contiguous_seq, p.received_ranges, p.gap_since,
                   p.resync_id, p.resync_rows, p.resync_applied, p.resync_started_at, p.resync_finished_at, p.resync_removed,
                   c.seq, c.taken_at, c.trigger_reason, c.evaluated_at, c.branch_rows, c.branch_live_rows, c.branch_checksum,
                   c.ho_rows, c.ho_live_rows, c.ho_checksum, c.missing_changes, c.matched, c.last_matched_at
            FROM branch_progress p LEFT JOIN branch_checkpoint c ON c.branch_id = p.branch_id
            ORDER BY p.branch_id
            """;

    private final DataSource dataSource;

    public VerificationRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The sequence state of these branches, locked until the transaction ends (one query); absent
     * for a branch not heard from before.
     */
    public Map<String, SequenceState> lockSequenceState(Connection connection, List<String> branchIds)
            throws SQLException {
        Map<String, SequenceState> states = new TreeMap<>();
        if (branchIds.isEmpty()) {
            return states;
        }
        String sql = "SELECT branch_id, contiguous_seq, received_ranges, gap_since,"
                + " resync_id IS NOT NULL AND resync_finished_at IS NULL FROM branch_progress WHERE branch_id IN ("
                + "?, ".repeat(branchIds.size() - 1) + "?) FOR UPDATE";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < branchIds.size(); i++) {
                statement.setString(i + 1, branchIds.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    states.put(
                            rs.getString(1),
                            new SequenceState(
                                    rs.getLong(2), rs.getString(3), instant(rs.getTimestamp(4)), rs.getBoolean(5)));
                }
            }
        }
        return states;
    }

    /** The head office's figures for one branch, as this transaction sees them. */
    public SaleChecksum.Figures figures(Connection connection, String branchId) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT " + SaleChecksum.SELECT_LIST + " FROM sale WHERE branch_id = ?")) {
            statement.setString(1, branchId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return SaleChecksum.read(rs, 1);
            }
        }
    }

    /** Records a checkpoint's verdict; an older checkpoint never replaces a newer one. */
    public void recordCheckpoint(
            Connection connection,
            BranchCheckpoint checkpoint,
            SaleChecksum.Figures atHeadOffice,
            long missingChanges,
            boolean matched,
            Instant now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RECORD_CHECKPOINT)) {
            SaleChecksum.Figures atBranch = checkpoint.figures();
            statement.setString(1, checkpoint.branchId());
            statement.setLong(2, checkpoint.seq());
            SqlValues.setInstant(statement, 3, checkpoint.occurredAt());
            statement.setString(4, truncate(checkpoint.trigger(), 16));
            SqlValues.setInstant(statement, 5, now);
            statement.setLong(6, atBranch.rows());
            statement.setLong(7, atBranch.liveRows());
            statement.setBigDecimal(8, atBranch.checksum());
            statement.setLong(9, atHeadOffice.rows());
            statement.setLong(10, atHeadOffice.liveRows());
            statement.setBigDecimal(11, atHeadOffice.checksum());
            statement.setLong(12, missingChanges);
            statement.setBoolean(13, matched);
            SqlValues.setInstant(statement, 14, matched ? now : null);
            statement.executeUpdate();
        }
    }

    /**
     * Records that a resync started and sets the branch's state afresh from its start, whatever was
     * applied before: the sequence state starts at the marker's number, the latest checkpoint
     * verdict goes, and every row of the branch waits for its resend ({@code branch_seq = 0}: the
     * next change of it replaces it whatever its version, and those not resent by the end are
     * removed). Its progress row must exist.
     */
    public void startResync(Connection connection, ResyncMarker started, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE branch_progress SET resync_id = ?, resync_from_seq = ?, resync_rows = ?, resync_applied = 0,"
                        + " resync_started_at = ?, resync_finished_at = NULL, resync_removed = NULL,"
                        + " last_seq = ?, contiguous_seq = ?, received_ranges = NULL, gap_since = NULL WHERE branch_id = ?")) {
            statement.setString(1, started.resyncId().toString());
            statement.setLong(2, started.seq());
            statement.setLong(3, started.rows());
            SqlValues.setInstant(statement, 4, now);
            statement.setLong(5, started.seq());
            statement.setLong(6, started.seq());
            statement.setString(7, started.branchId());
            statement.executeUpdate();
        }
        try (PreparedStatement statement =
                connection.prepareStatement("DELETE FROM branch_checkpoint WHERE branch_id = ?")) {
            statement.setString(1, started.branchId());
            statement.executeUpdate();
        }
        try (PreparedStatement statement =
                connection.prepareStatement("UPDATE sale SET branch_seq = 0 WHERE branch_id = ?")) {
            statement.setString(1, started.branchId());
            statement.executeUpdate();
        }
    }

    /** Where the running resync with this id started, or -1 when no such resync is running. */
    public long runningResyncStart(Connection connection, ResyncMarker finished) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT resync_from_seq FROM branch_progress WHERE branch_id = ? AND resync_id = ? AND resync_finished_at IS NULL")) {
            statement.setString(1, finished.branchId());
            statement.setString(2, finished.resyncId().toString());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    public void finishResync(Connection connection, ResyncMarker finished, long removed, Instant now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE branch_progress SET resync_finished_at = ?, resync_removed = ? WHERE branch_id = ? AND resync_id = ?")) {
            SqlValues.setInstant(statement, 1, now);
            statement.setLong(2, removed);
            statement.setString(3, finished.branchId());
            statement.setString(4, finished.resyncId().toString());
            statement.executeUpdate();
        }
    }

    /** Counts changes applied for a branch while its resync runs (its progress). */
    public void addResyncApplied(Connection connection, String branchId, long changes) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("UPDATE branch_progress SET resync_applied = resync_applied + ?"
                        + " WHERE branch_id = ? AND resync_id IS NOT NULL AND resync_finished_at IS NULL")) {
            statement.setLong(1, changes);
            statement.setString(2, branchId);
            statement.executeUpdate();
        }
    }

    /** What a resync's end removed: the rows, and what their removal takes off the daily summary. */
    public record Removal(long rows, List<DailyDelta> deltas) {}

    /**
     * Deletes the branch's rows that no message since {@code fromSeq} mentioned: after a resync
     * from there, the branch does not have them.
     */
    public Removal removeNotResent(Connection connection, String branchId, long fromSeq) throws SQLException {
        List<DailyDelta> deltas = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT sale_date, region, COUNT(*), SUM(qty), SUM(amt), SUM(tax), SUM(total) FROM sale"
                        + " WHERE branch_id = ? AND branch_seq < ? AND deleted = 0 GROUP BY sale_date, region")) {
            statement.setString(1, branchId);
            statement.setLong(2, fromSeq);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    deltas.add(new DailyDelta(
                            branchId,
                            rs.getObject(1, LocalDate.class),
                            rs.getString(2),
                            -rs.getLong(3),
                            -rs.getLong(4),
                            rs.getBigDecimal(5).negate(),
                            rs.getBigDecimal(6).negate(),
                            rs.getBigDecimal(7).negate()));
                }
            }
        }
        try (PreparedStatement statement =
                connection.prepareStatement("DELETE FROM sale WHERE branch_id = ? AND branch_seq < ?")) {
            statement.setString(1, branchId);
            statement.setLong(2, fromSeq);
            return new Removal(statement.executeUpdate(), deltas);
        }
    }

    /** Every branch's verification state, by branch id. */
    public List<Verification> verifications() throws SQLException {
        EventThreadGuard.requireOffEventThread("reading verification state");
        List<Verification> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(VERIFICATIONS);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                Verification.Resync resync = rs.getString(5) == null
                        ? null
                        : new Verification.Resync(
                                rs.getString(5),
                                rs.getLong(6),
                                rs.getLong(7),
                                instant(rs.getTimestamp(8)),
                                instant(rs.getTimestamp(9)),
                                (Long) rs.getObject(10, Long.class));
                rs.getLong(11);
                Verification.Checkpoint checkpoint = rs.wasNull()
                        ? null
                        : new Verification.Checkpoint(
                                rs.getLong(11),
                                instant(rs.getTimestamp(12)),
                                rs.getString(13),
                                instant(rs.getTimestamp(14)),
                                new SaleChecksum.Figures(rs.getLong(15), rs.getLong(16), rs.getBigDecimal(17)),
                                new SaleChecksum.Figures(rs.getLong(18), rs.getLong(19), rs.getBigDecimal(20)),
                                rs.getLong(21),
                                rs.getBoolean(22),
                                instant(rs.getTimestamp(23)));
                result.add(new Verification(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getString(3),
                        instant(rs.getTimestamp(4)),
                        checkpoint,
                        resync));
            }
        }
        return result;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
