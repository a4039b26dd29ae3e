package io.salesync.headoffice.persistence;

import io.salesync.common.EventThreadGuard;
import io.salesync.common.db.MultiRowInsert;
import io.salesync.common.db.SaleChecksum;
import io.salesync.common.db.SaleColumns;
import io.salesync.common.db.SqlValues;
import io.salesync.common.db.StatementGroup;
import io.salesync.common.event.SaleChange;
import io.salesync.headoffice.model.BranchProgress;
import io.salesync.headoffice.model.SaleKey;
import io.salesync.headoffice.model.StoredSale;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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

    /** The columns of {@code sale} a change writes, in the order {@link #bindSale} binds them. */
    public static final String SALE_COLUMNS = "branch_id, " + SaleColumns.NAMES + ", branch_seq, applied_at";

    private static final String INSERT_SALE = "INSERT INTO sale (" + SALE_COLUMNS + ")";
    private static final String SALE_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * A change replaces the stored row when its version is higher, or when the row waits for its
     * resend in a resync ({@code branch_seq = 0}, see {@link VerificationRepository#startResync}).
     * MySQL assigns left to right and later assignments see earlier ones, so every condition reads
     * {@code version} and {@code branch_seq} before they are assigned: {@code version} second to
     * last, {@code branch_seq} last (its condition still holds for a change that just won).
     */
    private static final MultiRowInsert<AppliedChange> UPSERT = new MultiRowInsert<>(
            INSERT_SALE,
            SALE_ROW,
            """
            ON DUPLICATE KEY UPDATE
                sale_date  = IF(VALUES(version) > version OR branch_seq = 0, VALUES(sale_date), sale_date),
                region     = IF(VALUES(version) > version OR branch_seq = 0, VALUES(region), region),
                product    = IF(VALUES(version) > version OR branch_seq = 0, VALUES(product), product),
                qty        = IF(VALUES(version) > version OR branch_seq = 0, VALUES(qty), qty),
                cost       = IF(VALUES(version) > version OR branch_seq = 0, VALUES(cost), cost),
                amt        = IF(VALUES(version) > version OR branch_seq = 0, VALUES(amt), amt),
                tax        = IF(VALUES(version) > version OR branch_seq = 0, VALUES(tax), tax),
                total      = IF(VALUES(version) > version OR branch_seq = 0, VALUES(total), total),
                deleted    = IF(VALUES(version) > version OR branch_seq = 0, VALUES(deleted), deleted),
                applied_at = IF(VALUES(version) > version OR branch_seq = 0, VALUES(applied_at), applied_at),
                version    = IF(VALUES(version) > version OR branch_seq = 0, VALUES(version), version),
                branch_seq = IF(VALUES(version) >= version OR branch_seq = 0, GREATEST(branch_seq, VALUES(branch_seq)), branch_seq)""",
            (statement, i, applied) -> bindSale(statement, i, applied.change(), applied.at()));

    /** The first version of sales the head office has not seen: a duplicate key fails the statement. */
    private static final MultiRowInsert<AppliedChange> INSERT_NEW = new MultiRowInsert<>(
            INSERT_SALE,
            SALE_ROW,
            "",
            (statement, i, applied) -> bindSale(statement, i, applied.change(), applied.at()));

    /** MySQL's and MariaDB's error number for a duplicate key (ER_DUP_ENTRY). */
    private static final int DUPLICATE_KEY = 1062;

    private record AppliedChange(SaleChange change, Instant at) {}

    /** Binds the {@link #SALE_COLUMNS} of a change from parameter {@code first} on. */
    public static void bindSale(PreparedStatement statement, int first, SaleChange change, Instant appliedAt)
            throws SQLException {
        statement.setString(first, change.branchId());
        int next = SaleColumns.bind(statement, first + 1, change.sale());
        statement.setLong(next, change.seq());
        SqlValues.setInstant(statement, next + 1, appliedAt);
    }

    private static final MultiRowInsert<ProgressRow> PROGRESS =
            new MultiRowInsert<>("""
            INSERT INTO branch_progress (branch_id, last_seq, applied_changes, last_message_at, last_applied_at,
                                         contiguous_seq, received_ranges, gap_since)""", "(?, ?, ?, ?, ?, ?, ?, ?)", """
            ON DUPLICATE KEY UPDATE
                applied_changes = applied_changes + VALUES(applied_changes),
                last_message_at = IF(VALUES(last_seq) > last_seq, VALUES(last_message_at), last_message_at),
                last_seq        = GREATEST(last_seq, VALUES(last_seq)),
                last_applied_at = VALUES(last_applied_at),
                contiguous_seq  = VALUES(contiguous_seq),
                received_ranges = VALUES(received_ranges),
                gap_since       = VALUES(gap_since)""", (statement, i, row) -> {
                BranchProgress branch = row.branch();
                VerificationRepository.SequenceState sequence = row.sequence();
                statement.setString(i, branch.branchId());
                statement.setLong(i + 1, branch.lastSeq());
                statement.setLong(i + 2, branch.appliedChanges());
                SqlValues.setInstant(statement, i + 3, branch.lastMessageAt());
                SqlValues.setInstant(statement, i + 4, branch.lastAppliedAt());
                statement.setLong(i + 5, sequence.contiguousSeq());
                statement.setString(
                        i + 6,
                        sequence.receivedRanges() == null
                                        || sequence.receivedRanges().isEmpty()
                                ? null
                                : sequence.receivedRanges());
                SqlValues.setInstant(statement, i + 7, sequence.gapSince());
            });

    private record ProgressRow(BranchProgress branch, VerificationRepository.SequenceState sequence) {}

    private static final MultiRowInsert<FirstHeard> CREATE_PROGRESS = new MultiRowInsert<>(
            "INSERT IGNORE INTO branch_progress (branch_id, last_seq, applied_changes, last_message_at, last_applied_at)",
            "(?, 0, 0, ?, ?)",
            "",
            (statement, i, branch) -> {
                statement.setString(i, branch.branchId());
                SqlValues.setInstant(statement, i + 1, branch.at());
                SqlValues.setInstant(statement, i + 2, branch.at());
            });

    private record FirstHeard(String branchId, Instant at) {}

    /** What {@link #readStored} reads of a stored sale. */
    private static final String SELECT_STORED =
            "SELECT branch_id, sale_id, version, deleted, sale_date, region, qty, amt, tax, total, branch_seq FROM sale";

    /** (branch, sale) pairs per lock query when a batch holds more branches than it would need such queries. */
    static final int LOCK_PAIRS_PER_QUERY = 100;

    private final DataSource dataSource;

    public AggregateRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Upserts the changes in multi-row statements. */
    public void upsert(Connection connection, Collection<SaleChange> changes, Instant appliedAt) throws SQLException {
        UPSERT.execute(connection, applied(changes, appliedAt));
    }

    /** Adds the version-guarded upsert of the changes to a group. */
    public StatementGroup upsert(StatementGroup group, Collection<SaleChange> changes, Instant appliedAt) {
        return UPSERT.addTo(group, applied(changes, appliedAt));
    }

    /**
     * Adds a plain insert of sales the head office does not hold yet to a group, without reading or
     * locking anything first. A sale already stored (a redelivery, a resync) fails it with
     * {@link #isDuplicateKey a duplicate key}; the statements of the group after it do not run, and a
     * caller whose rows took more than one statement ({@link #insertTakesSeveralStatements}) takes
     * back the ones before with a savepoint.
     */
    public StatementGroup insertNew(StatementGroup group, Collection<SaleChange> changes, Instant appliedAt) {
        return INSERT_NEW.addTo(group, applied(changes, appliedAt));
    }

    /** Whether {@link #insertNew} of this many rows sends more than one statement. */
    public static boolean insertTakesSeveralStatements(int rows) {
        return rows > MultiRowInsert.ROWS_PER_STATEMENT;
    }

    /** Whether the failure is a duplicate key (a sale {@link #insertNew} took for new is stored). */
    public static boolean isDuplicateKey(SQLException e) {
        return e.getErrorCode() == DUPLICATE_KEY;
    }

    private static List<AppliedChange> applied(Collection<SaleChange> changes, Instant appliedAt) {
        List<AppliedChange> rows = new ArrayList<>(changes.size());
        for (SaleChange change : changes) {
            rows.add(new AppliedChange(change, appliedAt));
        }
        return rows;
    }

    /**
     * The stored state of the sales these changes are about, by sale, locked until the
     * transaction ends (so that the summary deltas computed from it stay true).
     */
    public Map<SaleKey, StoredSale> lockStored(Connection connection, Collection<SaleChange> changes)
            throws SQLException {
        EventThreadGuard.requireOffEventThread("reading stored sales");
        Map<String, List<String>> idsByBranch = new LinkedHashMap<>();
        for (SaleChange change : changes) {
            idsByBranch
                    .computeIfAbsent(change.branchId(), id -> new ArrayList<>())
                    .add(change.sale().id().toString());
        }
        Map<SaleKey, StoredSale> stored = new HashMap<>();
        int chunks = (changes.size() + LOCK_PAIRS_PER_QUERY - 1) / LOCK_PAIRS_PER_QUERY;
        if (idsByBranch.size() > chunks) {
            // Many branches in the batch (live traffic, or a hundred branches catching up): a few
            // statements of (branch, sale) pairs. MariaDB and MySQL read a short row-constructor IN
            // list as ranges of the primary key; a long one costs their range optimizer far more than
            // one statement per branch does, so the lists stay short.
            List<SaleChange> all = List.copyOf(changes);
            for (int from = 0; from < all.size(); from += LOCK_PAIRS_PER_QUERY) {
                List<SaleChange> chunk = all.subList(from, Math.min(all.size(), from + LOCK_PAIRS_PER_QUERY));
                String sql = SELECT_STORED + " WHERE (branch_id, sale_id) IN (" + "(?, ?), ".repeat(chunk.size() - 1)
                        + "(?, ?)) FOR UPDATE";
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
            String sql = SELECT_STORED + " WHERE branch_id = ? AND sale_id IN (" + "?, ".repeat(ids.size() - 1)
                    + "?) FOR UPDATE";
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

    private static void readStored(PreparedStatement statement, Map<SaleKey, StoredSale> stored) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                stored.put(
                        new SaleKey(rs.getString(1), UUID.fromString(rs.getString(2))),
                        new StoredSale(
                                rs.getLong(3),
                                rs.getBoolean(4),
                                rs.getObject(5, LocalDate.class),
                                rs.getString(6),
                                rs.getInt(7),
                                rs.getBigDecimal(8),
                                rs.getBigDecimal(9),
                                rs.getBigDecimal(10),
                                rs.getLong(11)));
            }
        }
    }

    /**
     * Creates the progress rows of branches heard from for the first time, empty, so that a resync or
     * checkpoint in the same transaction has a row to update; {@link #recordProgress} fills them.
     */
    public void createProgress(Connection connection, Collection<String> branchIds, Instant now) throws SQLException {
        CREATE_PROGRESS.execute(
                connection,
                branchIds.stream().map(id -> new FirstHeard(id, now)).toList());
    }

    /**
     * Adds to a group the record, per branch, of the highest sequence applied, how many changes
     * were, and which sequence numbers have arrived (one statement for up to 100 branches).
     */
    public StatementGroup recordProgress(
            StatementGroup group,
            Collection<BranchProgress> progress,
            Map<String, VerificationRepository.SequenceState> sequences) {
        List<ProgressRow> rows = new ArrayList<>(progress.size());
        for (BranchProgress branch : progress) {
            rows.add(new ProgressRow(branch, sequences.get(branch.branchId())));
        }
        return PROGRESS.addTo(group, rows);
    }

    /** Progress of every branch heard from, by branch id. */
    public Map<String, BranchProgress> progress() throws SQLException {
        EventThreadGuard.requireOffEventThread("reading branch progress");
        String sql =
                "SELECT branch_id, last_seq, applied_changes, last_message_at, last_applied_at FROM branch_progress ORDER BY branch_id";
        Map<String, BranchProgress> result = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                result.put(
                        rs.getString(1),
                        new BranchProgress(
                                rs.getString(1),
                                rs.getLong(2),
                                rs.getLong(3),
                                rs.getTimestamp(4).toInstant(),
                                rs.getTimestamp(5).toInstant()));
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
                PreparedStatement statement =
                        connection.prepareStatement("SELECT COUNT(*) FROM dead_letter_log WHERE claimed_branch = ?")) {
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
