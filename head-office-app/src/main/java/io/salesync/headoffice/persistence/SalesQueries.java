package io.salesync.headoffice.persistence;

import io.salesync.common.EventThreadGuard;
import io.salesync.headoffice.model.DailyTotal;
import io.salesync.headoffice.model.SaleRow;
import io.salesync.headoffice.model.SalesColumn;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.model.SalesSort;
import io.salesync.headoffice.model.SalesTotals;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Read-only queries over the live (not deleted) sales, for the window: pages in a sort order, the
 * totals of a filter, daily totals for the chart. Totals and daily totals come from the smallest of
 * the summaries the consumer keeps ({@link Source}) unless the filter has a product text. Every
 * value of a filter is a statement parameter;
 * the only SQL text that varies is chosen from fixed column names and a fixed number of
 * placeholders. Methods run on the connection they are given, so that a caller can read several in
 * one transaction (one consistent snapshot).
 */
public final class SalesQueries {

    /** A WHERE clause (fixed text with placeholders) and its parameters, in order. */
    record Where(String sql, List<Object> parameters) {}

    /**
     * Where the sums of a filter are read: the smallest table that answers it (V9 in sql/head-office).
     * {@code live} is what a grouped query adds to leave out groups without live sales: a summary's
     * line can stay at zero after its sales were deleted, and the all-branch summary's lines are
     * per lane, one of which can be negative while their sum is right.
     */
    enum Source {
        SALES("sale", ""),
        BRANCH_DAY_REGION("sale_daily", " HAVING SUM(sales) > 0"),
        DAY_REGION("sale_daily_all", " HAVING SUM(sales) > 0"),
        BRANCH("sale_branch_total", " HAVING SUM(sales) > 0");

        final String table;
        final String live;

        Source(String table, String live) {
            this.table = table;
            this.live = live;
        }

        /** For the count and sums of a filter. */
        static Source forTotals(SalesFilter filter) {
            if (filter.productText() != null) {
                return SALES;
            }
            if (filter.branches().isEmpty()) {
                return DAY_REGION;
            }
            return filter.from() == null && filter.to() == null && filter.region() == null ? BRANCH : BRANCH_DAY_REGION;
        }

        /** The filter's conditions on this table (a summary has no product: only {@link #SALES} reads one). */
        Where where(SalesFilter filter) {
            return this == SALES ? SalesQueries.where(filter) : summaryWhere(filter);
        }

        /** For sums per day over the filter's branches. */
        static Source forDays(SalesFilter filter) {
            if (filter.productText() != null) {
                return SALES;
            }
            return filter.branches().isEmpty() ? DAY_REGION : BRANCH_DAY_REGION;
        }
    }

    /**
     * Rows of a page, in the sort order; the key columns break ties so that paging is deterministic.
     * The offset is walked in the sort column's index inside a subquery that reads keys only (a
     * deferred join): the full rows are read for the page alone, so a deep offset stays cheap.
     */
    public List<SaleRow> page(Connection connection, SalesFilter filter, SalesSort sort, long offset, int limit)
            throws SQLException {
        EventThreadGuard.requireOffEventThread("reading a page of sales");
        Where where = where(filter);
        String sql =
                "SELECT s.branch_id, s.sale_id, s.sale_date, s.region, s.product, s.qty, s.cost, s.amt, s.tax, s.total"
                        + " FROM (SELECT branch_id, sale_id FROM sale WHERE " + where.sql() + " ORDER BY "
                        + orderBy(sort, "")
                        + " LIMIT ? OFFSET ?) k JOIN sale s ON s.branch_id = k.branch_id AND s.sale_id = k.sale_id"
                        + " ORDER BY " + orderBy(sort, "s.");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = bind(statement, where, 1);
            statement.setInt(next, limit);
            statement.setLong(next + 1, offset);
            try (ResultSet rs = statement.executeQuery()) {
                List<SaleRow> rows = new ArrayList<>(limit);
                while (rs.next()) {
                    rows.add(row(rs));
                }
                return rows;
            }
        }
    }

    /**
     * The rows after {@code after} (exclusive) in the sort order, for streaming a whole filter
     * without deep offsets (keyset paging). {@code after} null starts at the beginning.
     */
    public List<SaleRow> pageAfter(Connection connection, SalesFilter filter, SalesSort sort, SaleRow after, int limit)
            throws SQLException {
        EventThreadGuard.requireOffEventThread("reading sales");
        Where where = where(filter);
        String column = column(sort.column());
        String op = sort.ascending() ? ">" : "<";
        String sql =
                "SELECT branch_id, sale_id, sale_date, region, product, qty, cost, amt, tax, total FROM sale WHERE "
                        + where.sql();
        if (after != null) {
            sql += sort.column() == SalesColumn.BRANCH
                    ? " AND (branch_id " + op + " ? OR (branch_id = ? AND sale_id " + op + " ?))"
                    : " AND (" + column + " " + op + " ? OR (" + column + " = ? AND (branch_id " + op
                            + " ? OR (branch_id = ? AND sale_id " + op + " ?))))";
        }
        sql += " ORDER BY " + orderBy(sort, "") + " LIMIT ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = bind(statement, where, 1);
            if (after != null) {
                if (sort.column() != SalesColumn.BRANCH) {
                    Object value = after.value(sort.column());
                    statement.setObject(next++, value instanceof LocalDate date ? Date.valueOf(date) : value);
                    statement.setObject(next++, value instanceof LocalDate date ? Date.valueOf(date) : value);
                }
                statement.setString(next++, after.branchId());
                statement.setString(next++, after.branchId());
                statement.setString(next++, after.saleId());
            }
            statement.setInt(next, limit);
            try (ResultSet rs = statement.executeQuery()) {
                List<SaleRow> rows = new ArrayList<>(limit);
                while (rs.next()) {
                    rows.add(row(rs));
                }
                return rows;
            }
        }
    }

    /**
     * Count and sums of the filter; zero sums when nothing matches. Read from the smallest summary
     * that answers the filter, or from the sales when it has a product text (no summary has products).
     */
    public SalesTotals totals(Connection connection, SalesFilter filter) throws SQLException {
        EventThreadGuard.requireOffEventThread("computing totals");
        Source source = Source.forTotals(filter);
        Where where = source.where(filter);
        String sql = (source == Source.SALES ? "SELECT COUNT(*)," : "SELECT COALESCE(SUM(sales), 0),")
                + " COALESCE(SUM(qty), 0), COALESCE(SUM(amt), 0.00), COALESCE(SUM(tax), 0.00), COALESCE(SUM(total), 0.00) FROM "
                + source.table + " WHERE " + where.sql();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, where, 1);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new SalesTotals(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getBigDecimal(3).setScale(2),
                        rs.getBigDecimal(4).setScale(2),
                        rs.getBigDecimal(5).setScale(2));
            }
        }
    }

    /** Sum of Total per branch and day, oldest day first (from the daily summary when it can). */
    public List<DailyTotal> dailyTotals(Connection connection, SalesFilter filter) throws SQLException {
        EventThreadGuard.requireOffEventThread("computing daily totals");
        Source source = filter.productText() == null ? Source.BRANCH_DAY_REGION : Source.SALES;
        Where where = source.where(filter);
        String sql = "SELECT branch_id, sale_date, SUM(total) FROM " + source.table + " WHERE " + where.sql()
                + " GROUP BY branch_id, sale_date" + source.live
                + " ORDER BY sale_date, branch_id";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, where, 1);
            try (ResultSet rs = statement.executeQuery()) {
                List<DailyTotal> totals = new ArrayList<>();
                while (rs.next()) {
                    totals.add(new DailyTotal(rs.getString(1), rs.getObject(2, LocalDate.class), rs.getBigDecimal(3)));
                }
                return totals;
            }
        }
    }

    /**
     * Sum of Total per day over all the filter's branches, oldest day first, each with a null branch
     * id (the chart's total line): one row a day however many branches there are.
     */
    public List<DailyTotal> dailySums(Connection connection, SalesFilter filter) throws SQLException {
        EventThreadGuard.requireOffEventThread("computing daily sums");
        Source source = Source.forDays(filter);
        Where where = source.where(filter);
        String sql = "SELECT sale_date, SUM(total) FROM " + source.table + " WHERE " + where.sql()
                + " GROUP BY sale_date" + source.live + " ORDER BY sale_date";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, where, 1);
            try (ResultSet rs = statement.executeQuery()) {
                List<DailyTotal> totals = new ArrayList<>();
                while (rs.next()) {
                    totals.add(new DailyTotal(null, rs.getObject(1, LocalDate.class), rs.getBigDecimal(2)));
                }
                return totals;
            }
        }
    }

    /** Regions of live sales, sorted (from the daily summary). */
    public List<String> regions(Connection connection) throws SQLException {
        EventThreadGuard.requireOffEventThread("reading regions");
        try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT region FROM sale_daily_all GROUP BY region HAVING SUM(sales) > 0 ORDER BY region");
                ResultSet rs = statement.executeQuery()) {
            List<String> regions = new ArrayList<>();
            while (rs.next()) {
                regions.add(rs.getString(1));
            }
            return regions;
        }
    }

    /** Every branch the head office has heard of: applied changes or dead letters. */
    public List<String> branches(Connection connection) throws SQLException {
        EventThreadGuard.requireOffEventThread("reading branches");
        TreeSet<String> branches = new TreeSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT branch_id FROM branch_progress UNION SELECT DISTINCT claimed_branch FROM dead_letter_log"
                                + " WHERE claimed_branch IS NOT NULL");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                branches.add(rs.getString(1));
            }
        }
        return List.copyOf(branches);
    }

    static Where where(SalesFilter filter) {
        return conditions(filter, "deleted = 0", true);
    }

    /**
     * The same filter on a summary, which has no product (callers check there is no product text,
     * and that the summary has the columns the filter names: {@link Source}).
     */
    static Where summaryWhere(SalesFilter filter) {
        return conditions(filter, "1 = 1", false);
    }

    private static Where conditions(SalesFilter filter, String first, boolean withProduct) {
        StringBuilder sql = new StringBuilder(first);
        List<Object> parameters = new ArrayList<>();
        if (!filter.branches().isEmpty()) {
            sql.append(" AND branch_id IN (")
                    .append("?, ".repeat(filter.branches().size() - 1))
                    .append("?)");
            parameters.addAll(new TreeSet<>(filter.branches()));
        }
        if (filter.from() != null) {
            sql.append(" AND sale_date >= ?");
            parameters.add(Date.valueOf(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND sale_date <= ?");
            parameters.add(Date.valueOf(filter.to()));
        }
        if (filter.region() != null) {
            sql.append(" AND region = ?");
            parameters.add(filter.region());
        }
        if (withProduct && filter.productText() != null) {
            sql.append(" AND product LIKE ? ESCAPE '!'");
            parameters.add("%" + escapeLike(filter.productText()) + "%");
        }
        return new Where(sql.toString(), parameters);
    }

    /** Makes the LIKE wildcards in the manager's text match themselves ('!' is the escape). */
    static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    static String orderBy(SalesSort sort, String alias) {
        String direction = sort.ascending() ? " ASC" : " DESC";
        String keys = alias + "branch_id" + direction + ", " + alias + "sale_id" + direction;
        return sort.column() == SalesColumn.BRANCH ? keys : alias + column(sort.column()) + direction + ", " + keys;
    }

    /** The table column of a sort; a fixed name, never input. */
    static String column(SalesColumn column) {
        return switch (column) {
            case BRANCH -> "branch_id";
            case DATE -> "sale_date";
            case REGION -> "region";
            case PRODUCT -> "product";
            case QTY -> "qty";
            case COST -> "cost";
            case AMT -> "amt";
            case TAX -> "tax";
            case TOTAL -> "total";
        };
    }

    private static int bind(PreparedStatement statement, Where where, int first) throws SQLException {
        int index = first;
        for (Object parameter : where.parameters()) {
            statement.setObject(index++, parameter);
        }
        return index;
    }

    private static SaleRow row(ResultSet rs) throws SQLException {
        return new SaleRow(
                rs.getString(1),
                rs.getString(2),
                rs.getObject(3, LocalDate.class),
                rs.getString(4),
                rs.getString(5),
                rs.getInt(6),
                rs.getBigDecimal(7),
                rs.getBigDecimal(8),
                rs.getBigDecimal(9),
                rs.getBigDecimal(10));
    }
}
