package io.salesync.headoffice.persistence;

import io.salesync.common.EventThreadGuard;
import io.salesync.headoffice.model.LastHeartbeat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Per-branch figures for the health panel, each one query over all branches. */
public final class HealthQueries {

    /** Dead letters of one branch: all of them, and those still {@code new}. */
    public record DeadLetterCounts(long total, long open) {}

    private final DataSource dataSource;

    public HealthQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Live sales per branch (from the per-branch summary: a line per branch). */
    public Map<String, Long> liveRowsPerBranch() throws SQLException {
        EventThreadGuard.requireOffEventThread("counting rows per branch");
        Map<String, Long> rows = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT branch_id, sales FROM sale_branch_total");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
        return rows;
    }

    /** The latest heartbeat of every branch that sent one: one query over all branches. */
    public Map<String, LastHeartbeat> lastHeartbeats() throws SQLException {
        EventThreadGuard.requireOffEventThread("reading heartbeats");
        Map<String, LastHeartbeat> heartbeats = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT branch_id, received_at, sent_at, last_seq, previous_last_seq, unconfirmed,"
                                + " interval_seconds FROM branch_heartbeat");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                heartbeats.put(
                        rs.getString(1),
                        new LastHeartbeat(
                                rs.getString(1),
                                rs.getTimestamp(2).toInstant(),
                                rs.getTimestamp(3).toInstant(),
                                rs.getLong(4),
                                rs.getLong(5),
                                rs.getLong(6),
                                rs.getInt(7)));
            }
        }
        return heartbeats;
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
