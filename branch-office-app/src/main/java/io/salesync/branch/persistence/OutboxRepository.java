package io.salesync.branch.persistence;

import io.salesync.common.db.BranchSchema;
import io.salesync.common.db.Databases;
import io.salesync.common.db.MultiRowInsert;
import io.salesync.common.db.SqlValues;
import io.salesync.common.db.StatementGroup;
import io.salesync.common.event.BranchMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

/**
 * The branch's outbox: one row per change, in sequence order, marked published only after the
 * broker confirmed it.
 */
public final class OutboxRepository {

    /** An outbox row as the relay sends it. */
    public record OutboxMessage(long seq, String saleId, String messageType, byte[] payload, Instant createdAt) {}

    private static final MultiRowInsert<OutboxMessage> APPEND = new MultiRowInsert<>(
            "INSERT INTO outbox (seq, sale_id, message_type, payload, created_at)",
            "(?, ?, ?, ?, ?)",
            "",
            (statement, i, message) -> {
                statement.setLong(i, message.seq());
                statement.setString(i + 1, message.saleId());
                statement.setString(i + 2, message.messageType());
                statement.setBytes(i + 3, message.payload());
                SqlValues.setInstant(statement, i + 4, message.createdAt());
            });

    private final DataSource dataSource;
    private final DataSource transactions;

    /** Reads and writes on one pool. */
    public OutboxRepository(DataSource dataSource) {
        this(dataSource, dataSource);
    }

    /**
     * @param dataSource   for reads and single statements
     * @param transactions for the relay's transactions (a {@link Databases#transactionPool})
     */
    public OutboxRepository(DataSource dataSource, DataSource transactions) {
        this.dataSource = dataSource;
        this.transactions = transactions;
    }

    /**
     * Reserves {@code count} consecutive sequence numbers inside the caller's transaction, in one
     * round trip: the update takes the row lock and hands the new counter back through
     * {@code LAST_INSERT_ID(expr)}, which the server returns with its reply. The lock is held until
     * commit, so numbers are gapless and commit in order.
     *
     * @return the first reserved number
     * @throws SQLException also when a number would pass {@link BranchMessage#MAX_SEQ}: the head office
     *                      would refuse its message, so the caller's transaction must not commit it
     */
    public long reserveSequence(Connection connection, int count) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE outbox_sequence SET next_seq = LAST_INSERT_ID(next_seq + ?) WHERE id = 1",
                Statement.RETURN_GENERATED_KEYS)) {
            update.setInt(1, count);
            if (update.executeUpdate() != 1) {
                throw new SQLException("outbox_sequence has no row: the branch schema is incomplete");
            }
            try (ResultSet keys = update.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the server did not return the reserved sequence number");
                }
                return requireWithinProtocol(keys.getLong(1) - count, count);
            }
        }
    }

    /** {@code first}, when the {@code count} numbers from it are all at most {@link BranchMessage#MAX_SEQ}. */
    static long requireWithinProtocol(long first, int count) throws SQLException {
        if (first + count - 1 > BranchMessage.MAX_SEQ) {
            throw new SQLException("this branch has used every sequence number the protocol allows (up to "
                    + BranchMessage.MAX_SEQ + "): change " + (first + count - 1)
                    + " would be refused by the head office,"
                    + " so it is not written");
        }
        return first;
    }

    /** Appends rows inside the caller's transaction. */
    public void append(Connection connection, List<OutboxMessage> messages) throws SQLException {
        APPEND.execute(connection, messages);
    }

    /** Adds the rows' insert to a group, to run in the caller's transaction. */
    public StatementGroup append(StatementGroup group, List<OutboxMessage> messages) {
        return APPEND.addTo(group, messages);
    }

    /**
     * Where sending starts again: the number before the lowest row not yet confirmed, or the last
     * number written when every row is. It is read while holding the sequence row's lock, which
     * every writer holds from reserving its numbers until its commit, so no change is half-way:
     * without the lock, a reader can see change n+1 committed while n, committed just before, is
     * not visible yet, and would start after n and never send it.
     */
    public long restartAfter() throws SQLException {
        return Databases.fromTransaction(transactions, connection -> {
            long next = lockSequence(connection);
            try (PreparedStatement lowest =
                            connection.prepareStatement("SELECT MIN(o.seq) " + BranchSchema.UNPUBLISHED_FROM);
                    ResultSet rs = lowest.executeQuery()) {
                rs.next();
                long first = rs.getLong(1);
                return (rs.wasNull() ? next : first) - 1;
            }
        });
    }

    /**
     * Rows after {@code afterSeq}, in sequence order, confirmed or not: after a failure the relay
     * sends everything again from the first unconfirmed row (some later ones may have been
     * confirmed already; sending them again is harmless, skipping one would not be).
     */
    public List<OutboxMessage> rowsAfter(long afterSeq, int limit) throws SQLException {
        String sql =
                "SELECT seq, sale_id, message_type, payload, created_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, afterSeq);
            statement.setInt(2, limit);
            List<OutboxMessage> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxMessage(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getBytes(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
            return rows;
        }
    }

    /**
     * The lowest row after {@code afterSeq} that exists, read while holding the sequence row's lock
     * (see {@link #restartAfter}), so that every committed row is visible: 0 when there is none.
     * A number below it that was handed out is then not in the outbox at all.
     */
    public long firstRowAfter(long afterSeq) throws SQLException {
        return Databases.fromTransaction(transactions, connection -> {
            lockSequence(connection);
            try (PreparedStatement first = connection.prepareStatement("SELECT MIN(seq) FROM outbox WHERE seq > ?")) {
                first.setLong(1, afterSeq);
                try (ResultSet rs = first.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Takes back the confirmation of every row from {@code fromSeq} on, so that the relay sends
     * them again (the head office lost them with its queue, say).
     *
     * @return how many rows were confirmed before, or -1 when rows from {@code fromSeq} on were
     *         already deleted (older than the retention) and cannot be sent again
     */
    public long markUnsentFrom(long fromSeq) throws SQLException {
        return Databases.fromTransaction(transactions, connection -> {
            long next = lockSequence(connection);
            if (fromSeq >= next) {
                return 0L;
            }
            try (PreparedStatement first = connection.prepareStatement("SELECT MIN(seq) FROM outbox");
                    ResultSet rs = first.executeQuery()) {
                rs.next();
                long oldest = rs.getLong(1);
                if (rs.wasNull() || oldest > fromSeq) {
                    return -1L;
                }
            }
            long taken;
            try (PreparedStatement unmark = connection.prepareStatement(
                    "UPDATE outbox SET published_at = NULL WHERE seq >= ? AND published_at IS NOT NULL")) {
                unmark.setLong(1, fromSeq);
                taken = unmark.executeUpdate();
            }
            try (PreparedStatement mark = connection.prepareStatement(
                    "UPDATE outbox_published SET through_seq = LEAST(through_seq, ?) WHERE id = 1")) {
                mark.setLong(1, fromSeq - 1);
                mark.executeUpdate();
            }
            return taken;
        });
    }

    /** Takes the sequence row's lock for the transaction and returns the next number to hand out. */
    private static long lockSequence(Connection connection) throws SQLException {
        try (PreparedStatement lock =
                        connection.prepareStatement("SELECT next_seq FROM outbox_sequence WHERE id = 1 FOR UPDATE");
                ResultSet rs = lock.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("outbox_sequence has no row: the branch schema is incomplete");
            }
            return rs.getLong(1);
        }
    }

    /**
     * Marks rows the broker confirmed. Confirms mostly come in runs of consecutive numbers, so each
     * run is one range update. Then moves the mark of rows confirmed without a gap: to the end of the
     * last run when the mark reaches its start (the usual case, nothing read), else up to the first
     * row still unconfirmed, at most to the highest confirmed now. The relay sends a change only
     * after every lower one, so every row below a confirmed one is committed and visible here. All of
     * it is one transaction, sent in one round trip.
     */
    public void markPublished(Collection<Long> seqs, Instant at) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        long[] sorted = seqs.stream().mapToLong(Long::longValue).sorted().toArray();
        long highest = sorted[sorted.length - 1];
        StatementGroup group = new StatementGroup();
        long lastRunStart = highest;
        int start = 0;
        for (int i = 1; i <= sorted.length; i++) {
            if (i == sorted.length || sorted[i] != sorted[i - 1] + 1) {
                long from = sorted[start];
                long to = sorted[i - 1];
                group.add(
                        "UPDATE outbox SET published_at = ?, attempts = attempts + 1, last_error = NULL"
                                + " WHERE seq BETWEEN ? AND ? AND published_at IS NULL",
                        (statement, first) -> {
                            SqlValues.setInstant(statement, first, at);
                            statement.setLong(first + 1, from);
                            statement.setLong(first + 2, to);
                        });
                lastRunStart = from;
                start = i;
            }
        }
        long runStart = lastRunStart;
        group.add("""
                UPDATE outbox_published SET through_seq = IF(through_seq >= ? - 1, ?, COALESCE(
                    (SELECT MIN(o.seq) - 1 FROM outbox o WHERE o.seq > through_seq AND o.seq <= ? AND o.published_at IS NULL), ?))
                WHERE id = 1 AND through_seq < ?""", (statement, first) -> {
            statement.setLong(first, runStart);
            for (int parameter = first + 1; parameter <= first + 4; parameter++) {
                statement.setLong(parameter, highest);
            }
        });
        Databases.inTransaction(transactions, group::execute);
    }

    /**
     * Deletes up to {@code limit} rows the broker confirmed before {@code cutoff}, oldest first,
     * and only up to the confirmed mark: unconfirmed rows are never deleted, whatever their age, and
     * neither is a confirmed row above an unconfirmed one (it would leave a hole where the relay
     * sends again from the first unconfirmed row).
     *
     * @return how many rows were deleted
     */
    public int prunePublishedBefore(Instant cutoff, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < ?"
                                + " AND seq <= (SELECT through_seq FROM outbox_published WHERE id = 1) ORDER BY seq LIMIT ?")) {
            SqlValues.setInstant(statement, 1, cutoff);
            statement.setInt(2, limit);
            return statement.executeUpdate();
        }
    }

    /** Records why a row was not confirmed; it stays unpublished and is sent again. */
    public void recordFailure(long seq, String error) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ? AND published_at IS NULL")) {
            statement.setString(1, error.length() > 500 ? error.substring(0, 500) : error);
            statement.setLong(2, seq);
            statement.executeUpdate();
        }
    }

    /** Number of changes not yet confirmed by the broker. */
    public long backlog() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(BranchSchema.BACKLOG);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Highest sequence number written so far, 0 when none. */
    public long lastSeq() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(BranchSchema.LAST_SEQ);
                ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
