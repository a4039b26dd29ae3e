package io.salesync.bench.window;

import io.salesync.bench.workload.SaleGenerator;
import io.salesync.common.sale.TaxRate;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The window benchmark's data: creates the schema and fills the head office's tables with N live
 * sales spread over branches bo1..boB (once; a schema that already holds N sales of B branches is reused), with their
 * daily summary and progress rows, as the consumer would have left them. The SQL is the
 * benchmark's own text; the schema name comes from its options.
 */
final class AggregateFill {

    static final TaxRate RATE = TaxRate.of("0.08");
    private static final int ROWS_PER_INSERT = 1_000;
    private static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 1);
    private static final int DAYS = 1_061;
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?)";

    private final WindowBenchOptions options;
    private final PrintStream out;

    AggregateFill(WindowBenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    void createSchema() throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(options.mysqlUrl(), options.mysqlUser(), options.mysqlPassword());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + options.schema()
                    + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
    }

    /** Inserts N live sales with multi-row inserts, unless they are there already. */
    void fillIfNeeded(String schemaUrl) throws SQLException {
        String url = schemaUrl + (schemaUrl.contains("?") ? "&" : "?") + "rewriteBatchedStatements=true";
        long rows = options.rows();
        try (Connection connection = DriverManager.getConnection(url, options.mysqlUser(), options.mysqlPassword())) {
            removeLiveBranch(connection, options.liveBranch());
            long present;
            long branches;
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(
                            "SELECT (SELECT COUNT(*) FROM sale), (SELECT COUNT(*) FROM branch_progress)")) {
                rs.next();
                present = rs.getLong(1);
                branches = rs.getLong(2);
            }
            if (present == rows && branches == Math.min(rows, options.branches())) {
                out.printf(
                        Locale.ROOT,
                        "schema %s already holds %,d rows of %,d branches: reusing them%n",
                        options.schema(),
                        rows,
                        branches);
                return;
            }
            long start = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("TRUNCATE TABLE sale");
                statement.executeUpdate("TRUNCATE TABLE branch_progress");
                statement.executeUpdate("TRUNCATE TABLE dead_letter_log");
                statement.executeUpdate("TRUNCATE TABLE sale_daily");
            }
            connection.setAutoCommit(false);
            Timestamp now = Timestamp.from(Instant.now());
            insertSales(connection, rows, now);
            summarise(connection, now);
            summariseAllBranches(connection);
            connection.commit();
            out.printf(
                    Locale.ROOT,
                    "\rfilled %,d rows of %,d branches in %,.1f s%n",
                    rows,
                    options.branches(),
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Takes what the last run's live branch added out of the schema. Its lines of the all-branch
     * summary are spread over the consumer's lanes: the sum over lanes is what counts, so its sums are
     * taken away in lane 0.
     */
    private static void removeLiveBranch(Connection connection, String liveBranch) throws SQLException {
        try (PreparedStatement subtract = connection.prepareStatement(
                "INSERT INTO sale_daily_all (sale_date, region, lane, sales, qty, amt, tax, total)"
                        + " SELECT sale_date, region, 0, -SUM(sales), -SUM(qty), -SUM(amt), -SUM(tax), -SUM(total)"
                        + " FROM sale_daily WHERE branch_id = ? GROUP BY sale_date, region"
                        + " ON DUPLICATE KEY UPDATE sales = sales + VALUES(sales), qty = qty + VALUES(qty),"
                        + " amt = amt + VALUES(amt), tax = tax + VALUES(tax), total = total + VALUES(total)")) {
            subtract.setString(1, liveBranch);
            subtract.executeUpdate();
        }
        for (String table : new String[] {
            "sale", "branch_progress", "sale_daily", "sale_branch_total", "branch_checkpoint", "branch_request"
        }) {
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM " + table + " WHERE branch_id = ?")) {
                delete.setString(1, liveBranch);
                delete.executeUpdate();
            }
        }
    }

    /** The summaries over all branches and per branch (V9), from the daily summary just written. */
    private static void summariseAllBranches(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM sale_daily_all");
            statement.executeUpdate("INSERT INTO sale_daily_all (sale_date, region, lane, sales, qty, amt, tax, total)"
                    + " SELECT sale_date, region, 0, SUM(sales), SUM(qty), SUM(amt), SUM(tax), SUM(total)"
                    + " FROM sale_daily GROUP BY sale_date, region");
            statement.executeUpdate("DELETE FROM sale_branch_total");
            statement.executeUpdate("INSERT INTO sale_branch_total (branch_id, sales, qty, amt, tax, total)"
                    + " SELECT branch_id, SUM(sales), SUM(qty), SUM(amt), SUM(tax), SUM(total)"
                    + " FROM sale_daily GROUP BY branch_id");
        }
    }

    private void insertSales(Connection connection, long rows, Timestamp now) throws SQLException {
        Random random = new Random(1);
        try (PreparedStatement insert = connection.prepareStatement(insertSql(ROWS_PER_INSERT))) {
            long written = 0;
            while (written < rows) {
                int batch = (int) Math.min(ROWS_PER_INSERT, rows - written);
                if (batch < ROWS_PER_INSERT) {
                    connection.commit();
                    try (PreparedStatement last = connection.prepareStatement(insertSql(batch))) {
                        bindRows(last, written, batch, random, now, options.branches());
                        last.executeUpdate();
                    }
                    written += batch;
                    break;
                }
                bindRows(insert, written, batch, random, now, options.branches());
                insert.executeUpdate();
                written += batch;
                if (written % 50_000 == 0) {
                    connection.commit();
                    out.printf(Locale.ROOT, "\rfilled %,d / %,d rows", written, rows);
                }
            }
        }
    }

    /** The daily summary and each branch's progress, from the sales just inserted. */
    private static void summarise(Connection connection, Timestamp now) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO sale_daily (branch_id, sale_date, region, sales, qty, amt, tax, total)"
                    + " SELECT branch_id, sale_date, region, COUNT(*), SUM(qty), SUM(amt), SUM(tax), SUM(total) FROM sale"
                    + " WHERE deleted = 0 GROUP BY branch_id, sale_date, region");
        }
        try (PreparedStatement progress = connection.prepareStatement(
                "INSERT INTO branch_progress (branch_id, last_seq, applied_changes, last_message_at, last_applied_at)"
                        + " SELECT branch_id, MAX(branch_seq), COUNT(*), ?, ? FROM sale GROUP BY branch_id")) {
            progress.setTimestamp(1, now);
            progress.setTimestamp(2, now);
            progress.executeUpdate();
        }
    }

    private static String insertSql(int rows) {
        return "INSERT INTO sale (branch_id, sale_id, sale_date, region, product, qty, cost, amt, tax, total, version, deleted,"
                + " branch_seq, applied_at) VALUES " + (ROW + ", ").repeat(rows - 1) + ROW;
    }

    /** Row i: branch bo(1 + i % B), a time-ordered id (fast inserts), random day, region, product, qty and cost. */
    private static void bindRows(
            PreparedStatement insert, long first, int count, Random random, Timestamp now, int branches)
            throws SQLException {
        int p = 1;
        for (long i = first; i < first + count; i++) {
            BigDecimal cost = BigDecimal.valueOf(50 + random.nextInt(50_000), 2);
            int qty = 1 + random.nextInt(20);
            BigDecimal amt = cost.multiply(BigDecimal.valueOf(qty)).setScale(2, RoundingMode.HALF_UP);
            BigDecimal tax = amt.multiply(RATE.value()).setScale(2, RoundingMode.HALF_UP);
            insert.setString(p++, "bo" + (1 + i % branches));
            insert.setString(p++, new UUID(i, 0x8000_0000_0000_0000L | random.nextInt(1 << 30)).toString());
            insert.setObject(p++, FIRST_DAY.plusDays(random.nextInt(DAYS)));
            insert.setString(p++, SaleGenerator.region(random));
            insert.setString(p++, SaleGenerator.product(random));
            insert.setInt(p++, qty);
            insert.setBigDecimal(p++, cost);
            insert.setBigDecimal(p++, amt);
            insert.setBigDecimal(p++, tax);
            insert.setBigDecimal(p++, amt.add(tax));
            insert.setLong(p++, i / branches + 1);
            insert.setTimestamp(p++, now);
        }
    }
}
