package io.salesync.headoffice.persistence;

import io.salesync.common.db.SqlValues;
import io.salesync.headoffice.model.HeadOfficeProcess;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The head-office processes that consume the queue ({@code head_office_process}): each writes its own row. */
public final class ProcessRepository {

    private final DataSource dataSource;

    public ProcessRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** This process is alive; {@code active}: it is the queue's active consumer now. Forgets rows a day old. */
    public void beat(String process, Instant startedAt, boolean active, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("""
                     INSERT INTO head_office_process (process, started_at, last_seen_at, active_at) VALUES (?, ?, ?, ?)
                     ON DUPLICATE KEY UPDATE last_seen_at = VALUES(last_seen_at),
                                             active_at = COALESCE(VALUES(active_at), active_at)""");
                PreparedStatement forget =
                        connection.prepareStatement("DELETE FROM head_office_process WHERE last_seen_at < ?")) {
            statement.setString(1, process);
            SqlValues.setInstant(statement, 2, startedAt);
            SqlValues.setInstant(statement, 3, now);
            SqlValues.setInstant(statement, 4, active ? now : null);
            statement.executeUpdate();
            SqlValues.setInstant(forget, 1, now.minus(Duration.ofDays(1)));
            forget.executeUpdate();
        }
    }

    /** The processes seen since {@code since}, the latest active first. */
    public List<HeadOfficeProcess> seenSince(Instant since) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT process, started_at, last_seen_at, active_at"
                                + " FROM head_office_process WHERE last_seen_at >= ? ORDER BY active_at IS NULL, active_at DESC, process")) {
            SqlValues.setInstant(statement, 1, since);
            List<HeadOfficeProcess> processes = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Timestamp active = rs.getTimestamp(4);
                    processes.add(new HeadOfficeProcess(
                            rs.getString(1),
                            rs.getTimestamp(2).toInstant(),
                            rs.getTimestamp(3).toInstant(),
                            active == null ? null : active.toInstant()));
                }
            }
            return processes;
        }
    }
}
