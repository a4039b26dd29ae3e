package io.salesync.headoffice.persistence;

import io.salesync.common.db.SqlValues;
import io.salesync.common.EventThreadGuard;
import io.salesync.headoffice.model.DeadLetterEntry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The dead-letter log as the window uses it: list, read one message back, record a decision. */
public final class DeadLetterRepository {

    /** Bytes of the body shown in the list. */
    static final int PREVIEW_BYTES = 4096;

    /** A refused message with everything needed to publish it again. */
    public record StoredMessage(long id, String routingKey, String messageId, String contentType, String messageType,
                                byte[] body, String status) {
    }

    private final DataSource dataSource;

    public DeadLetterRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Newest first; only the messages nobody handled yet unless {@code includeHandled}. */
    public List<DeadLetterEntry> list(boolean includeHandled, int limit) throws SQLException {
        EventThreadGuard.requireOffEventThread("reading dead letters");
        String sql = "SELECT id, received_at, routing_key, message_id, claimed_branch, reason, status,"
                + " SUBSTRING(body, 1, " + PREVIEW_BYTES + "), body_size FROM dead_letter_log"
                + (includeHandled ? "" : " WHERE status = 'new'") + " ORDER BY received_at DESC, id DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, limit);
            try (ResultSet rs = statement.executeQuery()) {
                List<DeadLetterEntry> entries = new ArrayList<>();
                while (rs.next()) {
                    byte[] preview = rs.getBytes(8);
                    int size = rs.getInt(9);
                    entries.add(new DeadLetterEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                            preview == null ? null : new String(preview, StandardCharsets.UTF_8),
                            rs.wasNull() ? -1 : size));
                }
                return entries;
            }
        }
    }

    public Optional<StoredMessage> find(long id) throws SQLException {
        EventThreadGuard.requireOffEventThread("reading a dead letter");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT id, routing_key, message_id, content_type, message_type, body, status FROM dead_letter_log WHERE id = ?")) {
            statement.setLong(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getBytes(6), rs.getString(7)));
            }
        }
    }

    /**
     * Moves a message from {@code new} to {@code status}.
     *
     * @return false when it was not {@code new} any more (someone else handled it)
     */
    public boolean decide(long id, String status, Instant at) throws SQLException {
        EventThreadGuard.requireOffEventThread("recording a dead-letter decision");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "UPDATE dead_letter_log SET status = ?, status_at = ? WHERE id = ? AND status = 'new'")) {
            statement.setString(1, status);
            SqlValues.setInstant(statement, 2, at);
            statement.setLong(3, id);
            return statement.executeUpdate() == 1;
        }
    }
}
