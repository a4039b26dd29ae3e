package io.salesync.headoffice.persistence;

import io.salesync.common.EventThreadGuard;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.db.SqlValues;
import io.salesync.headoffice.model.DeadLetter;
import io.salesync.headoffice.model.DeadLetterEntry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The dead-letter log: written by the consumer's appliers in their transaction, read by the window
 * (list, read one message back, record a decision).
 */
public final class DeadLetterRepository {

    /**
     * Bodies larger than this are not stored (the broker's dead-letter queue keeps them): a message
     * over the head office's size limit could never be applied, so keeping it to retry is useless.
     */
    public static final int MAX_STORED_BODY = SaleChangeCodec.MAX_BODY_BYTES;

    /** Bytes of the body shown in the list. */
    static final int PREVIEW_BYTES = 4096;

    /** A refused message with everything needed to publish it again. */
    public record StoredMessage(
            long id,
            String routingKey,
            String messageId,
            String contentType,
            String messageType,
            byte[] body,
            String status) {}

    private final DataSource dataSource;

    public DeadLetterRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records dead-lettered messages, in the caller's transaction. */
    public void record(Connection connection, Collection<DeadLetter> deadLetters) throws SQLException {
        if (deadLetters.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO dead_letter_log (received_at, routing_key, message_id, claimed_branch, reason,"
                + " body, body_size, content_type, message_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (DeadLetter deadLetter : deadLetters) {
                SqlValues.setInstant(statement, 1, deadLetter.at());
                statement.setString(2, truncate(deadLetter.routingKey(), 255));
                statement.setString(3, truncate(deadLetter.messageId(), 255));
                statement.setString(4, truncate(deadLetter.claimedBranch(), 32));
                statement.setString(5, truncate(deadLetter.reason(), 1000));
                byte[] body = deadLetter.body();
                statement.setBytes(6, body != null && body.length <= MAX_STORED_BODY ? body : null);
                if (body == null) {
                    statement.setNull(7, Types.INTEGER);
                } else {
                    statement.setInt(7, body.length);
                }
                statement.setString(8, truncate(deadLetter.contentType(), 255));
                statement.setString(9, truncate(deadLetter.messageType(), 255));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
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
                    entries.add(new DeadLetterEntry(
                            rs.getLong(1),
                            rs.getTimestamp(2).toInstant(),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
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
                return Optional.of(new StoredMessage(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getBytes(6),
                        rs.getString(7)));
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
