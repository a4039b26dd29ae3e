package io.salesync.headoffice.persistence;

import io.salesync.common.EventThreadGuard;
import io.salesync.common.db.SaleChecksum;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The head office's aggregate tables. The write methods run in the caller's transaction.
 *
 * <p>A change replaces the stored row only when its version is higher; a delete is stored as a
 * tombstone. Applying the same change twice, or an older one after a newer, therefore changes
 * nothing, whatever order messages arrive in. A change at the stored version still records its
 * sequence number in {@code branch_seq}: a resync uses it to tell which rows the branch resent.
 */
public final class AggregateRepository {

    private static final String UPSERT = """
            INSERT INTO sale (branch_id, sale_id, sale_date, region, product, qty, cost, amt, tax, total,
                              version, deleted, branch_seq, applied_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE
                sale_date  = IF(VALUES(version) > version, VALUES(sale_date), sale_date),
                region     = IF(VALUES(version) > version, VALUES(region), region),
                product    = IF(VALUES(version) > version, VALUES(product), product),
                qty        = IF(VALUES(version) > version, VALUES(qty), qty),
                cost       = IF(VALUES(version) > version, VALUES(cost), cost),
                amt        = IF(VALUES(version) > version, VALUES(amt), amt),
                tax        = IF(VALUES(version) > version, VALUES(tax), tax),
                total      = IF(VALUES(version) > version, VALUES(total), total),
                deleted    = IF(VALUES(version) > version, VALUES(deleted), deleted),
                branch_seq = IF(VALUES(version) >= version, GREATEST(branch_seq, VALUES(branch_seq)), branch_seq),
                applied_at = IF(VALUES(version) > version, VALUES(applied_at), applied_at),
                version    = GREATEST(version, VALUES(version))
            """;

    private static final String ADD_TO_DAILY = "INSERT INTO sale_daily (branch_id, sale_date, region, sales, qty, amt, tax, total)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE sales = sales + VALUES(sales), qty = qty + VALUES(qty),"
            + " amt = amt + VALUES(amt), tax = tax + VALUES(tax), total = total + VALUES(total)";

    private static final String PROGRESS = """
            INSERT INTO branch_progress (branch_id, last_seq, applied_changes, last_message_at, last_applied_at,
                                         contiguous_seq, received_ranges, gap_since)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE
                applied_changes = applied_changes + VALUES(applied_changes),
                last_message_at = IF(VALUES(last_seq) > last_seq, VALUES(last_message_at), last_message_at),
                last_seq        = GREATEST(last_seq, VALUES(last_seq)),
                last_applied_at = VALUES(last_applied_at),
                contiguous_seq  = VALUES(contiguous_seq),
                received_ranges = VALUES(received_ranges),
                gap_since       = VALUES(gap_since)
            """;

    /** Per branch: highest sequence applied, changes applied, when the newest was made and applied. */
    public record BranchProgress(String branchId, long lastSeq, long appliedChanges, Instant lastMessageAt,
                                 Instant lastAppliedAt) {
    }

    /**
     * A message the consumer dead-lettered, with what is needed to publish it again.
     *
     * @param body        the original body; stored only up to {@link #MAX_STORED_BODY} bytes
     * @param contentType its content_type property, may be null
     * @param messageType its type property, may be null
     */
    public record DeadLetter(Instant at, String routingKey, String messageId, String claimedBranch, String reason,
                             byte[] body, String contentType, String messageType) {

        public DeadLetter(Instant at, String routingKey, String messageId, String claimedBranch, String reason) {
            this(at, routingKey, messageId, claimedBranch, reason, null, null, null);
        }
    }

    /** What the aggregate holds for a sale now (read under lock before a change is applied). */
    public record StoredSale(long version, boolean deleted, LocalDate date, String region, int qty, BigDecimal amt,
                             BigDecimal tax, BigDecimal total) {
    }

    /** An amount to add to one (branch, day, region) line of the daily summary; negative to take away. */
    public record DailyDelta(String branchId, LocalDate date, String region, long sales, long qty, BigDecimal amt,
                             BigDecimal tax, BigDecimal total) {
    }

    /** What {@link #readStored} reads of a stored sale. */
    private static final String SELECT_STORED =
            "SELECT branch_id, sale_id, version, deleted, sale_date, region, qty, amt, tax, total FROM sale";

    /** (branch, sale) pairs per lock query when a batch holds more branches than it would need such queries. */
    static final int LOCK_PAIRS_PER_QUERY = 100;

    /** Bodies larger than this are not stored (the broker's dead-letter queue keeps them). */
    public static final int MAX_STORED_BODY = 1 << 20;

    private final DataSource dataSource;

    public AggregateRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Upserts the changes in one batched statement (rewritten by the driver into multi-row inserts). */
    public void upsert(Connection connection, Collection<SaleChange> changes, Instant appliedAt) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        Timestamp at = Timestamp.from(appliedAt);
        try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            for (SaleChange change : changes) {
                Sale sale = change.sale();
                statement.setString(1, change.branchId());
                statement.setString(2, sale.id().toString());
                statement.setDate(3, Date.valueOf(sale.date()));
                statement.setString(4, sale.region());
                statement.setString(5, sale.product());
                statement.setInt(6, sale.qty());
                statement.setBigDecimal(7, sale.cost());
                statement.setBigDecimal(8, sale.amt());
                statement.setBigDecimal(9, sale.tax());
                statement.setBigDecimal(10, sale.total());
                statement.setLong(11, sale.version());
                statement.setBoolean(12, sale.deleted());
                statement.setLong(13, change.seq());
                statement.setTimestamp(14, at);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * The stored state of the sales these changes are about, by "branch/sale id", locked until the
     * transaction ends (so that the summary deltas computed from it stay true).
     */
    public Map<String, StoredSale> lockStored(Connection connection, Collection<SaleChange> changes) throws SQLException {
        EventThreadGuard.requireOffEventThread("reading stored sales");
        Map<String, List<String>> idsByBranch = new LinkedHashMap<>();
        for (SaleChange change : changes) {
            idsByBranch.computeIfAbsent(change.branchId(), id -> new ArrayList<>()).add(change.sale().id().toString());
        }
        Map<String, StoredSale> stored = new HashMap<>();
        int chunks = (changes.size() + LOCK_PAIRS_PER_QUERY - 1) / LOCK_PAIRS_PER_QUERY;
        if (idsByBranch.size() > chunks) {
            // Many branches in the batch (live traffic, or a hundred branches catching up): a few
            // statements of (branch, sale) pairs. MariaDB and MySQL read a short row-constructor IN
            // list as ranges of the primary key; a long one costs their range optimizer far more than
            // one statement per branch does, so the lists stay short.
            List<SaleChange> all = List.copyOf(changes);
            for (int from = 0; from < all.size(); from += LOCK_PAIRS_PER_QUERY) {
                List<SaleChange> chunk = all.subList(from, Math.min(all.size(), from + LOCK_PAIRS_PER_QUERY));
                String sql = SELECT_STORED
                        + " WHERE (branch_id, sale_id) IN (" + "(?, ?), ".repeat(chunk.size() - 1) + "(?, ?)) FOR UPDATE";
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    int index = 1;
                    for (SaleChange change : chunk) {
                        statement.setString(index++, change.branchId());
                        statement.setString(index++, change.sale().id().toString());
                    }
                    readStored(statement, stored);
                }
            }
            return stored;
        }
        for (Map.Entry<String, List<String>> branch : idsByBranch.entrySet()) {
            List<String> ids = branch.getValue();
            String sql = SELECT_STORED
                    + " WHERE branch_id = ? AND sale_id IN (" + "?, ".repeat(ids.size() - 1) + "?) FOR UPDATE";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, branch.getKey());
                for (int i = 0; i < ids.size(); i++) {
                    statement.setString(i + 2, ids.get(i));
                }
                readStored(statement, stored);
            }
        }
        return stored;
    }

    private static void readStored(PreparedStatement statement, Map<String, StoredSale> stored) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                stored.put(rs.getString(1) + "/" + rs.getString(2), new StoredSale(rs.getLong(3), rs.getBoolean(4),
                        rs.getObject(5, LocalDate.class), rs.getString(6), rs.getInt(7), rs.getBigDecimal(8),
                        rs.getBigDecimal(9), rs.getBigDecimal(10)));
            }
        }
    }

    /** Adds the deltas to the daily summary (one batched upsert, rewritten into multi-row inserts). */
    public void addToDaily(Connection connection, Collection<DailyDelta> deltas) throws SQLException {
        EventThreadGuard.requireOffEventThread("updating the daily summary");
        if (deltas.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(ADD_TO_DAILY)) {
            for (DailyDelta delta : deltas) {
                statement.setString(1, delta.branchId());
                statement.setDate(2, Date.valueOf(delta.date()));
                statement.setString(3, delta.region());
                statement.setLong(4, delta.sales());
                statement.setLong(5, delta.qty());
                statement.setBigDecimal(6, delta.amt());
                statement.setBigDecimal(7, delta.tax());
                statement.setBigDecimal(8, delta.total());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * Creates the progress rows of branches heard from for the first time, empty, so that a resync or
     * checkpoint in the same transaction has a row to update; {@link #recordProgress} fills them.
     */
    public void createProgress(Connection connection, Collection<String> branchIds, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT IGNORE INTO branch_progress"
                + " (branch_id, last_seq, applied_changes, last_message_at, last_applied_at) VALUES (?, 0, 0, ?, ?)")) {
            for (String branchId : branchIds) {
                statement.setString(1, branchId);
                statement.setTimestamp(2, Timestamp.from(now));
                statement.setTimestamp(3, Timestamp.from(now));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * Records, per branch, the highest sequence applied, how many changes were, and which sequence
     * numbers have arrived (one statement for the batch).
     */
    public void recordProgress(Connection connection, Collection<BranchProgress> progress,
                               Map<String, VerificationRepository.SequenceState> sequences) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(PROGRESS)) {
            for (BranchProgress branch : progress) {
                VerificationRepository.SequenceState sequence = sequences.get(branch.branchId());
                statement.setString(1, branch.branchId());
                statement.setLong(2, branch.lastSeq());
                statement.setLong(3, branch.appliedChanges());
                statement.setTimestamp(4, Timestamp.from(branch.lastMessageAt()));
                statement.setTimestamp(5, Timestamp.from(branch.lastAppliedAt()));
                statement.setLong(6, sequence.contiguousSeq());
                statement.setString(7, sequence.receivedRanges() == null || sequence.receivedRanges().isEmpty()
                        ? null : sequence.receivedRanges());
                statement.setTimestamp(8, sequence.gapSince() == null ? null : Timestamp.from(sequence.gapSince()));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    public void recordDeadLetters(Connection connection, Collection<DeadLetter> deadLetters) throws SQLException {
        if (deadLetters.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO dead_letter_log (received_at, routing_key, message_id, claimed_branch, reason,"
                + " body, body_size, content_type, message_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (DeadLetter deadLetter : deadLetters) {
                statement.setTimestamp(1, Timestamp.from(deadLetter.at()));
                statement.setString(2, truncate(deadLetter.routingKey(), 255));
                statement.setString(3, truncate(deadLetter.messageId(), 255));
                statement.setString(4, truncate(deadLetter.claimedBranch(), 32));
                statement.setString(5, truncate(deadLetter.reason(), 1000));
                byte[] body = deadLetter.body();
                statement.setBytes(6, body != null && body.length <= MAX_STORED_BODY ? body : null);
                if (body == null) {
                    statement.setNull(7, java.sql.Types.INTEGER);
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

    /** Progress of every branch heard from, by branch id. */
    public Map<String, BranchProgress> progress() throws SQLException {
        EventThreadGuard.requireOffEventThread("reading branch progress");
        String sql = "SELECT branch_id, last_seq, applied_changes, last_message_at, last_applied_at FROM branch_progress ORDER BY branch_id";
        Map<String, BranchProgress> result = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                result.put(rs.getString(1), new BranchProgress(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant()));
            }
        }
        return result;
    }

    public Optional<BranchProgress> progress(String branchId) throws SQLException {
        return Optional.ofNullable(progress().get(branchId));
    }

    /** Rows, live rows and checksum of one branch's sales here, tombstones included. */
    public SaleChecksum.Figures figures(String branchId) throws SQLException {
        EventThreadGuard.requireOffEventThread("computing branch figures");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT " + SaleChecksum.SELECT_LIST + " FROM sale WHERE branch_id = ?")) {
            statement.setString(1, branchId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return SaleChecksum.read(rs, 1);
            }
        }
    }

    /** Dead-lettered messages that claimed this branch. */
    public long deadLetterCount(String branchId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM dead_letter_log WHERE claimed_branch = ?")) {
            statement.setString(1, branchId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
