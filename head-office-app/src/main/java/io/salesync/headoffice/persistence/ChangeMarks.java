package io.salesync.headoffice.persistence;

import io.salesync.common.EventThreadGuard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * A cheap read that changes whenever the consuming head office applies a batch or refuses a
 * message: one row per branch summed, and two index look-ups on the dead letters. A view-only
 * window asks it every second or so instead of being told by a consumer.
 */
public final class ChangeMarks {

    /**
     * What the head office's tables say they hold now; two equal marks mean nothing was applied or
     * refused in between.
     */
    public record Mark(
            long sequences, long appliedChanges, Instant lastAppliedAt, long lastDeadLetter, long openDeadLetters) {}

    private static final String SQL = """
            SELECT (SELECT COALESCE(SUM(last_seq), 0) FROM branch_progress),
                   (SELECT COALESCE(SUM(applied_changes), 0) FROM branch_progress),
                   (SELECT MAX(last_applied_at) FROM branch_progress),
                   (SELECT COALESCE(MAX(id), 0) FROM dead_letter_log),
                   (SELECT COUNT(*) FROM dead_letter_log WHERE status = 'new')""";

    private final DataSource dataSource;

    public ChangeMarks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Mark read() throws SQLException {
        EventThreadGuard.requireOffEventThread("reading what the head office applied");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SQL);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            Timestamp applied = rs.getTimestamp(3);
            return new Mark(
                    rs.getLong(1),
                    rs.getLong(2),
                    applied == null ? null : applied.toInstant(),
                    rs.getLong(4),
                    rs.getLong(5));
        }
    }
}
