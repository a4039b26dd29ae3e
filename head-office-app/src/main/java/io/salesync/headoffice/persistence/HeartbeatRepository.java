package io.salesync.headoffice.persistence;

import io.salesync.common.db.SqlValues;
import io.salesync.headoffice.model.LastHeartbeat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import javax.sql.DataSource;

/**
 * The latest heartbeat of each branch ({@code branch_heartbeat}, one row per branch): one upsert per
 * heartbeat written, never one per batch of sales. Read with the other health figures
 * ({@link HealthQueries#lastHeartbeats()}).
 */
public final class HeartbeatRepository {

    /*
     * MySQL and MariaDB assign left to right, so previous_last_seq takes the stored last_seq before
     * last_seq takes the new one.
     */
    private static final String UPSERT = """
            INSERT INTO branch_heartbeat
                (branch_id, received_at, sent_at, last_seq, previous_last_seq, unconfirmed, interval_seconds)
            VALUES (?, ?, ?, ?, 0, ?, ?)
            ON DUPLICATE KEY UPDATE previous_last_seq = last_seq, received_at = VALUES(received_at),
                sent_at = VALUES(sent_at), last_seq = VALUES(last_seq), unconfirmed = VALUES(unconfirmed),
                interval_seconds = VALUES(interval_seconds)""";

    private final DataSource dataSource;

    public HeartbeatRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the newest heartbeat of each of these branches, one upsert each, in one round trip. */
    public void record(Collection<LastHeartbeat> heartbeats) throws SQLException {
        if (heartbeats.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            for (LastHeartbeat heartbeat : heartbeats) {
                statement.setString(1, heartbeat.branchId());
                SqlValues.setInstant(statement, 2, heartbeat.receivedAt());
                SqlValues.setInstant(statement, 3, heartbeat.sentAt());
                statement.setLong(4, heartbeat.lastSeq());
                statement.setLong(5, heartbeat.unconfirmed());
                statement.setInt(6, heartbeat.intervalSeconds());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }
}
