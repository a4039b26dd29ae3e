package io.salesync.headoffice.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.ui.EventThreadProbe;
import io.salesync.headoffice.ui.HeadOfficeWindow;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Measures the head office window on a large aggregate (a command that prints figures, not a test):
 * fills the schema {@code salesync_ho_bench} with N live sales (once; kept for the next run), opens
 * the real window, and reports the time to the first page, the time to apply filters with their
 * totals, the longest event-thread stall while the consumer applies a backlog at full speed, and the
 * heap used. Needs a display (xvfb-run on a server).
 *
 * <pre>
 * WindowBenchmark [--rows N] [--changes M]
 *   SALESYNC_BENCH_SCHEMA      default salesync_ho_bench (created if missing; its rows are replaced when N differs)
 *   SALESYNC_BENCH_MYSQL_URL   default jdbc:mysql://127.0.0.1:3306/  (a user that may create the schema)
 *   SALESYNC_BENCH_MYSQL_USER / _PASSWORD   default root / empty
 *   SALESYNC_BENCH_AMQP_URI    default amqp://127.0.0.1:5672/%2F
 *   SALESYNC_BENCH_AMQP_USER / _PASSWORD    default guest / guest
 * </pre>
 */
public final class WindowBenchmark {

    static final String SCHEMA = System.getenv().getOrDefault("SALESYNC_BENCH_SCHEMA", "salesync_ho_bench");
    static final String PREFIX = "salesync-bench";
    /** The branch the consumer phase adds sales to; removed at the start of every run. */
    static final String LIVE_BRANCH = "bo9";

    private static final PrintStream out = System.out;
    private static final String[] REGIONS = {"North", "South", "East", "West", "Centre", "Coast", "Mountains", "Islands"};
    private static final TaxRate RATE = TaxRate.of("0.08");
    private static final int ROWS_PER_INSERT = 1_000;
    private static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 1);
    private static final int DAYS = 1_061;

    private final long rows;
    private final int changes;
    private final Map<String, String> env = System.getenv();
    private final String adminUrl = env.getOrDefault("SALESYNC_BENCH_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/");
    private final String adminUser = env.getOrDefault("SALESYNC_BENCH_MYSQL_USER", "root");
    private final String adminPassword = env.getOrDefault("SALESYNC_BENCH_MYSQL_PASSWORD", "");

    private WindowBenchmark(long rows, int changes) {
        this.rows = rows;
        this.changes = changes;
    }

    public static void main(String[] args) throws Exception {
        long rows = 1_000_000;
        int changes = 50_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i].replace("_", ""));
                case "--changes" -> changes = Integer.parseInt(args[++i].replace("_", ""));
                default -> {
                    System.err.println("usage: WindowBenchmark [--rows N] [--changes M]");
                    System.exit(2);
                }
            }
        }
        System.exit(new WindowBenchmark(rows, changes).run());
    }

    private int run() throws Exception {
        HeadOfficeConfig config = config();
        out.printf(Locale.ROOT, "salesync head office window benchmark: %,d rows, %,d changes; %d cores, max heap %,d MiB%n",
                rows, changes, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        createSchema();
        HeadOffice.open(config, status -> { }).close(); // opening applies the migrations; nothing else
        fillIfNeeded(config);

        CountDownLatch closed = new CountDownLatch(1);
        long start = System.nanoTime();
        HeadOfficeWindow window = HeadOfficeWindow.open("head-office-bench", closed::countDown);
        var firstPage = window.nextTableRefresh();
        var firstFull = window.nextFullRefresh();
        HeadOffice headOffice = HeadOffice.open(config, window::consumerStatus);
        window.connected(headOffice.services());
        firstPage.get(120, TimeUnit.SECONDS);
        double openMs = millisSince(start);
        firstFull.get(300, TimeUnit.SECONDS);
        double fullMs = millisSince(start);
        out.printf(Locale.ROOT, "open window -> first page and totals shown: %8.0f ms%n", openMs);
        out.printf(Locale.ROOT, "open window -> chart and health shown too:  %8.0f ms%n", fullMs);

        try (EventThreadProbe probe = EventThreadProbe.start()) {
            for (String pass : new String[] {"first", "second"}) {
                probe.reset();
                out.printf(Locale.ROOT, "filters, %s pass:%n", pass);
                filter(window, "  branch bo3, region North, H1 2025",
                        new SalesFilter(Set.of("bo3"), LocalDate.of(2025, 1, 1), LocalDate.of(2025, 6, 30), "North", null));
                filter(window, "  product contains 'Lamp' (all branches)", new SalesFilter(Set.of(), null, null, null, "Lamp"));
                filter(window, "  date range 2026-01-01 .. 2026-03-31",
                        new SalesFilter(Set.of(), LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31), null, null));
                filter(window, "  clear filters (all rows)", SalesFilter.ALL);
                out.printf(Locale.ROOT, "  longest event-thread stall meanwhile:      %8.1f ms%n", probe.worstMillis());
                out.printf(Locale.ROOT, "    slowest event: %s%n", probe.slowestEvent());
            }

            publishBacklog(config);
            probe.reset();
            long consumeStart = System.nanoTime();
            headOffice.startConsumer();
            while (headOffice.consumer().status().appliedChanges() < changes) {
                Thread.sleep(20);
            }
            double consumeMs = millisSince(consumeStart);
            window.nextFullRefresh().get(120, TimeUnit.SECONDS);
            out.printf(Locale.ROOT, "consumer applied %,d changes in %,.0f ms (%,.0f changes/s) with the window refreshing live%n",
                    changes, consumeMs, changes / (consumeMs / 1000));
            out.printf(Locale.ROOT, "longest event-thread stall meanwhile:       %8.1f ms (%,d heartbeats every 10 ms)%n",
                    probe.worstMillis(), probe.beats());
            out.printf(Locale.ROOT, "  slowest event: %s%n", probe.slowestEvent());
        }
        int pages = window.pagesHeld().get(10, TimeUnit.SECONDS);
        System.gc();
        Thread.sleep(200);
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        out.printf(Locale.ROOT, "heap used after GC: %,d MiB (table holds %d pages of 200 rows)%n",
                (runtime.totalMemory() - runtime.freeMemory()) >> 20, pages);
        window.close();
        closed.await(10, TimeUnit.SECONDS);
        headOffice.close();
        return 0;
    }

    private void filter(HeadOfficeWindow window, String what, SalesFilter filter) throws Exception {
        var shown = window.nextTableRefresh();
        long start = System.nanoTime();
        window.applyFilter(filter);
        shown.get(300, TimeUnit.SECONDS);
        out.printf(Locale.ROOT, "%-44s %8.0f ms (rows and totals)%n", what + ":", millisSince(start));
        window.nextFullRefresh().get(300, TimeUnit.SECONDS);
    }

    private HeadOfficeConfig config() {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        String base = adminUrl.endsWith("/") ? adminUrl : adminUrl + "/";
        values.put(DatabaseSettings.URL, base + SCHEMA);
        values.put(DatabaseSettings.USER, adminUser);
        values.put(DatabaseSettings.PASSWORD, adminPassword);
        values.put(DatabaseSettings.POOL_SIZE, "6");
        values.put(BrokerSettings.URI_KEY, env.getOrDefault("SALESYNC_BENCH_AMQP_URI", "amqp://127.0.0.1:5672/%2F"));
        values.put(BrokerSettings.USER, env.getOrDefault("SALESYNC_BENCH_AMQP_USER", "guest"));
        values.put(BrokerSettings.PASSWORD, env.getOrDefault("SALESYNC_BENCH_AMQP_PASSWORD", "guest"));
        values.put(BrokerSettings.PREFIX, PREFIX);
        return HeadOfficeConfig.from(ConfigSource.of(values));
    }

    private void createSchema() throws SQLException {
        try (java.sql.Connection connection = DriverManager.getConnection(adminUrl, adminUser, adminPassword);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
    }

    /** Inserts N live sales for branches bo1..bo8 with multi-row inserts, unless they are there already. */
    private void fillIfNeeded(HeadOfficeConfig config) throws SQLException {
        String url = config.database().url() + (config.database().url().contains("?") ? "&" : "?") + "rewriteBatchedStatements=true";
        try (java.sql.Connection connection = DriverManager.getConnection(url, adminUser, adminPassword)) {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM sale WHERE branch_id = '" + LIVE_BRANCH + "'");
                statement.executeUpdate("DELETE FROM branch_progress WHERE branch_id = '" + LIVE_BRANCH + "'");
                statement.executeUpdate("DELETE FROM sale_daily WHERE branch_id = '" + LIVE_BRANCH + "'");
            }
            long present;
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM sale")) {
                rs.next();
                present = rs.getLong(1);
            }
            if (present == rows) {
                out.printf(Locale.ROOT, "schema %s already holds %,d rows: reusing them%n", SCHEMA, rows);
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
            StringBuilder sql = new StringBuilder("INSERT INTO sale (branch_id, sale_id, sale_date, region, product, qty, cost,"
                    + " amt, tax, total, version, deleted, branch_seq, applied_at) VALUES ");
            sql.append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?), ".repeat(ROWS_PER_INSERT - 1));
            sql.append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?)");
            Random random = new Random(1);
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
                long written = 0;
                while (written < rows) {
                    int batch = (int) Math.min(ROWS_PER_INSERT, rows - written);
                    if (batch < ROWS_PER_INSERT) {
                        connection.commit();
                        insertRows(connection, written, batch, random, now);
                        written += batch;
                        break;
                    }
                    bindRows(insert, 0, written, batch, random, now);
                    insert.executeUpdate();
                    written += batch;
                    if (written % 50_000 == 0) {
                        connection.commit();
                        out.printf(Locale.ROOT, "\rfilled %,d / %,d rows", written, rows);
                    }
                }
            }
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
            connection.commit();
            out.printf(Locale.ROOT, "\rfilled %,d rows in %,.1f s%n", rows, millisSince(start) / 1000);
        }
    }

    private void insertRows(java.sql.Connection connection, long first, int count, Random random, Timestamp now) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO sale (branch_id, sale_id, sale_date, region, product, qty, cost,"
                + " amt, tax, total, version, deleted, branch_seq, applied_at) VALUES ");
        sql.append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?), ".repeat(count - 1)).append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?)");
        try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
            bindRows(insert, 0, first, count, random, now);
            insert.executeUpdate();
        }
    }

    /** Row i: branch bo(1 + i % 8), a time-ordered id (fast inserts), random day, region, product, qty and cost. */
    private static void bindRows(PreparedStatement insert, int offset, long first, int count, Random random, Timestamp now)
            throws SQLException {
        int p = offset + 1;
        for (long i = first; i < first + count; i++) {
            BigDecimal cost = BigDecimal.valueOf(50 + random.nextInt(50_000), 2);
            int qty = 1 + random.nextInt(20);
            BigDecimal amt = cost.multiply(BigDecimal.valueOf(qty)).setScale(2, RoundingMode.HALF_UP);
            BigDecimal tax = amt.multiply(RATE.value()).setScale(2, RoundingMode.HALF_UP);
            insert.setString(p++, "bo" + (1 + i % 8));
            insert.setString(p++, new UUID(i, 0x8000_0000_0000_0000L | random.nextInt(1 << 30)).toString());
            insert.setObject(p++, FIRST_DAY.plusDays(random.nextInt(DAYS)));
            insert.setString(p++, REGIONS[random.nextInt(REGIONS.length)]);
            insert.setString(p++, product(random));
            insert.setInt(p++, qty);
            insert.setBigDecimal(p++, cost);
            insert.setBigDecimal(p++, amt);
            insert.setBigDecimal(p++, tax);
            insert.setBigDecimal(p++, amt.add(tax));
            insert.setLong(p++, i / 8 + 1);
            insert.setTimestamp(p++, now);
        }
    }

    private static String product(Random random) {
        String[] kinds = {"Pen Set", "Stapler", "Paper A4", "Desk Lamp", "Notebook", "Office Chair", "Ink Cartridge", "Whiteboard",
                "Folder", "Calculator", "Headset", "Monitor Arm", "Label Printer", "Shredder", "Desk Organizer", "Cable Kit"};
        return kinds[random.nextInt(kinds.length)] + " " + (char) ('A' + random.nextInt(12)) + random.nextInt(10);
    }

    /** Publishes the consumer phase's changes (new sales of branch bo9) and waits for the broker's confirms. */
    private void publishBacklog(HeadOfficeConfig config) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(config.broker().uri());
        factory.setUsername(config.broker().user());
        factory.setPassword(config.broker().password());
        Topology topology = new Topology(PREFIX);
        SaleChangeCodec codec = new SaleChangeCodec();
        long base = System.currentTimeMillis() * 1000;
        Random random = new Random(7);
        long start = System.nanoTime();
        try (Connection connection = factory.newConnection("salesync-bench-publisher"); Channel channel = connection.createChannel()) {
            topology.declare(channel);
            channel.queuePurge(topology.salesQueue());
            channel.confirmSelect();
            for (int i = 0; i < changes; i++) {
                Sale sale = Sale.create(UUID.randomUUID(), LIVE_BRANCH, new SaleInput(LocalDate.now(), REGIONS[random.nextInt(REGIONS.length)],
                        product(random), 1 + random.nextInt(20), BigDecimal.valueOf(50 + random.nextInt(50_000), 2)), RATE);
                SaleChange change = SaleChange.of(base + i, Instant.now(), sale);
                channel.basicPublish(topology.salesExchange(), Topology.routingKey(LIVE_BRANCH), true,
                        new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json")
                                .type(SaleChange.MESSAGE_TYPE).messageId(change.messageId()).build(), codec.encode(change));
                if (i % 5_000 == 4_999) {
                    channel.waitForConfirmsOrDie(30_000);
                }
            }
            channel.waitForConfirmsOrDie(30_000);
        }
        out.printf(Locale.ROOT, "queued %,d changes for the consumer in %,.0f ms%n", changes, millisSince(start));
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}
