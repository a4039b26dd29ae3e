package io.salesync.headoffice.persistence;

import io.salesync.common.EventThreadGuard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Per-branch counts for the health panel. */
public final class HealthQueries {

    /** Dead letters of one branch: all of them, and those still {@code new}. */
    public record DeadLetterCounts(long total, long open) {}

    private final DataSource dataSource;

    public HealthQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Live sales per branch (from the daily summary). */
    public Map<String, Long> liveRowsPerBranch() throws SQLException {
        EventThreadGuard.requireOffEventThread("counting rows per branch");
        Map<String, Long> rows = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT branch_id, SUM(sales) FROM sale_daily GROUP BY branch_id");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
        return rows;
    }

    public Map<String, DeadLetterCounts> deadLettersPerBranch() throws SQLException {
        EventThreadGuard.requireOffEventThread("counting dead letters");
        Map<String, DeadLetterCounts> counts = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT claimed_branch, COUNT(*), SUM(CASE WHEN status = 'new' THEN 1 ELSE 0 END) FROM dead_letter_log"
                                + " WHERE claimed_branch IS NOT NULL GROUP BY claimed_branch");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), new DeadLetterCounts(rs.getLong(2), rs.getLong(3)));
            }
        }
        return counts;
    }
}
