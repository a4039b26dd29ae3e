package io.salesync.branch.persistence;

import io.salesync.common.EventThreadGuard;
import io.salesync.common.db.BranchSchema;
import io.salesync.common.db.MultiRowInsert;
import io.salesync.common.db.SaleChecksum;
import io.salesync.common.db.SaleColumns;
import io.salesync.common.db.SqlValues;
import io.salesync.common.db.StatementGroup;
import io.salesync.common.sale.Sale;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The branch's {@code sale} table. Methods that take a {@link Connection} run inside the caller's
 * transaction; the others take a connection from the pool.
 */
public final class SaleRepository {

    private static final String COLUMNS = SaleColumns.NAMES;

    /** A first version with the number of its change. */
    private record NewSale(Sale sale, long seq, Instant at) {}

    private static final MultiRowInsert<NewSale> INSERT = new MultiRowInsert<>(
            "INSERT INTO sale (" + COLUMNS + ", last_seq, created_at, updated_at)",
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "",
            (statement, i, row) -> {
                int next = SaleColumns.bind(statement, i, row.sale());
                statement.setLong(next, row.seq());
                SqlValues.setInstant(statement, next + 1, row.at());
                SqlValues.setInstant(statement, next + 2, row.at());
            });

    private final DataSource dataSource;
    private final String branchId;

    public SaleRepository(DataSource dataSource, String branchId) {
        this.dataSource = dataSource;
        this.branchId = branchId;
    }

    public Optional<Sale> find(UUID id) throws SQLException {
        EventThreadGuard.requireOffEventThread("reading a sale");
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, id, false);
        }
    }

    /** Reads a sale, optionally locking its row for the rest of the transaction. */
    public Optional<Sale> find(Connection connection, UUID id, boolean forUpdate) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM sale WHERE sale_id = ?" + (forUpdate ? " FOR UPDATE" : "");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, id.toString());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Inserts first versions, in multi-row statements. */
    public void insertAll(Connection connection, List<Sale> sales, List<Long> seqs, Instant at) throws SQLException {
        INSERT.execute(connection, newSales(sales, seqs, at));
    }

    /** Adds the insert of first versions to a group. */
    public StatementGroup insertAll(StatementGroup group, List<Sale> sales, List<Long> seqs, Instant at) {
        return INSERT.addTo(group, newSales(sales, seqs, at));
    }

    private static List<NewSale> newSales(List<Sale> sales, List<Long> seqs, Instant at) {
        List<NewSale> rows = new ArrayList<>(sales.size());
        for (int i = 0; i < sales.size(); i++) {
            rows.add(new NewSale(sales.get(i), seqs.get(i), at));
        }
        return rows;
    }

    /**
     * Adds to a group the write of a new version over the previous one. Its update count is 0 when
     * the stored version is not {@code sale.version() - 1} (someone changed it meanwhile), else 1.
     */
    public StatementGroup update(StatementGroup group, Sale sale, long seq, Instant at) {
        return group.add(
                "UPDATE sale SET sale_date = ?, region = ?, product = ?, qty = ?, cost = ?, amt = ?, tax = ?,"
                        + " total = ?, version = ?, deleted = ?, last_seq = ?, updated_at = ? WHERE sale_id = ? AND version = ?",
                (statement, first) -> {
                    SqlValues.setDate(statement, first, sale.date());
                    statement.setString(first + 1, sale.region());
                    statement.setString(first + 2, sale.product());
                    statement.setInt(first + 3, sale.qty());
                    statement.setBigDecimal(first + 4, sale.cost());
                    statement.setBigDecimal(first + 5, sale.amt());
                    statement.setBigDecimal(first + 6, sale.tax());
                    statement.setBigDecimal(first + 7, sale.total());
                    statement.setLong(first + 8, sale.version());
                    statement.setBoolean(first + 9, sale.deleted());
                    statement.setLong(first + 10, seq);
                    SqlValues.setInstant(statement, first + 11, at);
                    statement.setString(first + 12, sale.id().toString());
                    statement.setLong(first + 13, sale.version() - 1);
                });
    }

    /** Live sales, newest first, at most {@code limit}. */
    public List<Sale> listLive(int limit) throws SQLException {
        EventThreadGuard.requireOffEventThread("listing sales");
        String sql =
                "SELECT " + COLUMNS + " FROM sale WHERE NOT deleted ORDER BY sale_date DESC, created_at DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, limit);
            List<Sale> sales = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    sales.add(read(rs));
                }
            }
            return sales;
        }
    }

    /**
     * A live sale with the state of the outbox row of its current version ({@code sale.last_seq}).
     *
     * @param published true once the broker confirmed that version (also when its confirmed outbox
     *                  row has since been pruned)
     * @param lastError why the last attempt to send it failed, or null
     */
    public record SaleWithOutboxState(Sale sale, boolean published, String lastError) {}

    /** Live sales with the send state of their current version, newest first, at most {@code limit}. */
    public List<SaleWithOutboxState> listLiveWithOutboxState(int limit) throws SQLException {
        return listLiveWithOutboxState(limit, null);
    }

    /**
     * Live sales whose date, region, product or sync state contains {@code search} (case-insensitive,
     * {@code %} and {@code _} match themselves; null or blank: every sale), newest first, at most
     * {@code limit}, with the send state of their current version.
     */
    public List<SaleWithOutboxState> listLiveWithOutboxState(int limit, String search) throws SQLException {
        EventThreadGuard.requireOffEventThread("listing sales with their sync state");
        List<String> parameters = new ArrayList<>();
        String sql = "SELECT s.sale_id, s.sale_date, s.region, s.product, s.qty, s.cost, s.amt, s.tax, s.total,"
                + " s.version, s.deleted, " + PUBLISHED + ", o.last_error"
                + " FROM sale s LEFT JOIN outbox o ON o.seq = s.last_seq"
                + " WHERE NOT s.deleted" + searchCondition(search, parameters)
                + " ORDER BY s.sale_date DESC, s.created_at DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = bind(statement, parameters);
            statement.setInt(index, limit);
            List<SaleWithOutboxState> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new SaleWithOutboxState(read(rs), rs.getBoolean(12), rs.getString(13)));
                }
            }
            return rows;
        }
    }

    /** Number of live sales. */
    public long countLive() throws SQLException {
        return countLive(null);
    }

    /** Number of live sales that {@link #listLiveWithOutboxState(int, String)} would find without a limit. */
    public long countLive(String search) throws SQLException {
        EventThreadGuard.requireOffEventThread("counting sales");
        List<String> parameters = new ArrayList<>();
        String condition = searchCondition(search, parameters);
        String sql = condition.isEmpty()
                ? "SELECT COUNT(*) FROM sale WHERE NOT deleted"
                : "SELECT COUNT(*) FROM sale s LEFT JOIN outbox o ON o.seq = s.last_seq WHERE NOT s.deleted"
                        + condition;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** How many live sales are dated {@code day}, and the sum of their Total. */
    public DayFigures dayFigures(LocalDate day) throws SQLException {
        EventThreadGuard.requireOffEventThread("adding up a day's sales");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT COUNT(*), COALESCE(SUM(total), 0) FROM sale WHERE NOT deleted AND sale_date = ?")) {
            SqlValues.setDate(statement, 1, day);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new DayFigures(rs.getLong(1), rs.getBigDecimal(2));
            }
        }
    }

    /** A day's count of live sales and their summed Total. */
    public record DayFigures(long count, BigDecimal total) {}

    /** True when the broker confirmed the sale's current version (or its confirmed outbox row was pruned). */
    private static final String PUBLISHED = "(o.seq IS NULL OR o.published_at IS NOT NULL)";

    private static final String FAILED = "(NOT " + PUBLISHED + " AND o.last_error IS NOT NULL AND o.last_error <> '')";
    private static final String PENDING = "(NOT " + PUBLISHED + " AND (o.last_error IS NULL OR o.last_error = ''))";

    /**
     * The search as SQL over the aliases s (sale) and o (its outbox row): fixed text only, the
     * search itself goes into {@code parameters}. A search that is part of a sync state's word
     * ("pend", "synced") also finds the sales in that state.
     */
    private static String searchCondition(String search, List<String> parameters) {
        if (search == null || search.isBlank()) {
            return "";
        }
        String text = search.strip();
        String like = "%" + escapeLike(text) + "%";
        StringBuilder sql =
                new StringBuilder(" AND (CAST(s.sale_date AS CHAR) LIKE ? ESCAPE '!' OR s.region LIKE ? ESCAPE '!'"
                        + " OR s.product LIKE ? ESCAPE '!' OR (" + FAILED + " AND o.last_error LIKE ? ESCAPE '!')");
        for (int i = 0; i < 4; i++) {
            parameters.add(like);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if ("synced".contains(lower)) {
            sql.append(" OR ").append(PUBLISHED);
        }
        if ("pending".contains(lower)) {
            sql.append(" OR ").append(PENDING);
        }
        if ("failed".contains(lower) || lower.startsWith("failed")) {
            sql.append(" OR ").append(FAILED);
        }
        return sql.append(')').toString();
    }

    /** Makes LIKE's wildcards in a search match themselves ('!' is the escape). */
    static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static int bind(PreparedStatement statement, List<String> parameters) throws SQLException {
        int index = 1;
        for (String parameter : parameters) {
            statement.setString(index++, parameter);
        }
        return index;
    }

    /** The regions used at this branch so far, alphabetically, at most {@code limit}. */
    public List<String> distinctRegions(int limit) throws SQLException {
        EventThreadGuard.requireOffEventThread("listing regions");
        return distinct("SELECT DISTINCT region FROM sale WHERE NOT deleted ORDER BY region LIMIT ?", limit);
    }

    /** The products sold at this branch so far, alphabetically, at most {@code limit}. */
    public List<String> distinctProducts(int limit) throws SQLException {
        EventThreadGuard.requireOffEventThread("listing products");
        return distinct("SELECT DISTINCT product FROM sale WHERE NOT deleted ORDER BY product LIMIT ?", limit);
    }

    private List<String> distinct(String sql, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, limit);
            List<String> values = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }

    /** Row count, live count and checksum over every sale of this branch, tombstones included. */
    public SaleChecksum.Figures figures() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return figures(connection);
        }
    }

    /** {@link #figures()} inside the caller's transaction. */
    public SaleChecksum.Figures figures(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(BranchSchema.FIGURES);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return SaleChecksum.read(rs, 1);
        }
    }

    /**
     * Up to {@code limit} sales, tombstones included, with ids after {@code afterId} (null: from the
     * first), in id order: the pages a resync walks through.
     */
    public List<Sale> pageAfter(Connection connection, String afterId, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM sale WHERE sale_id > ? ORDER BY sale_id LIMIT ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, afterId == null ? "" : afterId);
            statement.setInt(2, limit);
            List<Sale> page = new ArrayList<>(limit);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    page.add(read(rs));
                }
            }
            return page;
        }
    }

    private Sale read(ResultSet rs) throws SQLException {
        return new Sale(
                UUID.fromString(rs.getString(1)),
                branchId,
                rs.getDate(2).toLocalDate(),
                rs.getString(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getBigDecimal(6),
                rs.getBigDecimal(7),
                rs.getBigDecimal(8),
                rs.getBigDecimal(9),
                rs.getLong(10),
                rs.getBoolean(11));
    }
}
