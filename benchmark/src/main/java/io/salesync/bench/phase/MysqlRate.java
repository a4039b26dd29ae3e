package io.salesync.bench.phase;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.bench.Services;
import io.salesync.bench.report.Figures.MysqlCeiling;
import io.salesync.bench.report.Figures.Rate;
import io.salesync.bench.workload.ChangeMaker;
import io.salesync.bench.workload.ChangeMix;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.db.MultiRowInsert;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.persistence.VerificationRepository;
import io.salesync.headoffice.service.ChangeApplier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MySQL's own rate for the head office's writes, with no broker: batches of {@value #BATCH} changes
 * of one branch (the mix of new and existing sales), one transaction per batch on one connection,
 * into the head office's real schema (its migrations, so its table and eleven indexes). Measured
 * three ways, each from an empty table, twice in turn, keeping the better: the plain multi-row
 * upsert (the raw ceiling), the product's version-guarded upsert alone, and the product's whole
 * transaction ({@link ChangeApplier}, on a transaction pool as the head office runs it). Then the
 * whole transaction with batches of {@value #SPREAD_BATCH}, their changes from one branch, then one
 * from each of {@value #SPREAD_BATCH} branches: a batch costs per branch as well as per change (a
 * progress row, daily summary lines), which is what many branches publishing at once cost the head
 * office's database. Last, the plain upsert without the window's sort indexes, to show what they cost.
 */
final class MysqlRate {

    static final int BATCH = 500;

    /** Changes per batch, and branches, of the spread figures. */
    static final int SPREAD_BATCH = 100;

    /** The raw ceiling: every column replaced, no version check; multi-row statements as the product sends. */
    private static final MultiRowInsert<SaleChange> PLAIN_UPSERT = new MultiRowInsert<>(
            "INSERT INTO sale (" + AggregateRepository.SALE_COLUMNS + ")",
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            """
            ON DUPLICATE KEY UPDATE sale_date = VALUES(sale_date), region = VALUES(region), product = VALUES(product),
                qty = VALUES(qty), cost = VALUES(cost), amt = VALUES(amt), tax = VALUES(tax), total = VALUES(total),
                version = VALUES(version), deleted = VALUES(deleted), branch_seq = VALUES(branch_seq), applied_at = VALUES(applied_at)""",
            (statement, i, change) -> AggregateRepository.bindSale(statement, i, change, change.occurredAt()));

    private final Services services;
    private final String schema;

    MysqlRate(Services services, String schema) {
        this.services = services;
        this.schema = schema;
    }

    MysqlCeiling measure(int rows, ChangeMix mix) throws SQLException {
        List<List<SaleChange>> batches = batches(rows, mix);
        services.createSchema(schema);
        DatabaseSettings settings = services.database(schema, 1);
        int spreadRows = Math.max(SPREAD_BATCH * 10, rows / 5 / SPREAD_BATCH * SPREAD_BATCH);
        List<List<SaleChange>> oneBranch = batches(spreadRows, mix, SPREAD_BATCH);
        List<List<SaleChange>> manyBranches = spreadBatches(spreadRows, mix);
        try (HikariDataSource pool = Databases.pool(settings, "bench-mysql-ceiling");
                HikariDataSource transactions = Databases.transactionPool(settings, "bench-mysql-ceiling-tx", 1)) {
            Databases.migrate(pool, "head-office", settings);
            AggregateRepository repository = new AggregateRepository(pool);
            ChangeApplier applier =
                    new ChangeApplier(transactions, repository, new VerificationRepository(pool), Clock.systemUTC());
            Rate plain = null;
            Rate product = null;
            Rate whole = null;
            // Twice each, alternating, from an empty table each time; the better of the two is the ceiling.
            for (int round = 0; round < 2; round++) {
                plain = better(plain, timed(pool, rows, batches, MysqlRate::plainUpsert));
                empty(pool);
                product = better(
                        product,
                        timed(
                                pool,
                                rows,
                                batches,
                                (connection, batch) -> repository.upsert(connection, batch, Instant.now())));
                empty(pool);
                whole = better(whole, applied(applier, rows, batches));
                empty(pool);
            }
            Rate one = null;
            Rate many = null;
            for (int round = 0; round < 2; round++) {
                one = better(one, applied(applier, spreadRows, oneBranch));
                empty(pool);
                many = better(many, applied(applier, spreadRows, manyBranches));
                empty(pool);
            }
            int dropped = dropSortIndexes(pool);
            Rate fewerIndexes = null;
            for (int round = 0; round < 2 && dropped > 0; round++) {
                fewerIndexes = better(fewerIndexes, timed(pool, rows, batches, MysqlRate::plainUpsert));
                empty(pool);
            }
            return new MysqlCeiling(
                    BATCH, plain, product, whole, dropped, fewerIndexes, SPREAD_BATCH, SPREAD_BATCH, one, many);
        } finally {
            services.dropSchema(schema);
        }
    }

    private static Rate better(Rate best, Rate candidate) {
        return best == null || candidate.perSecond() > best.perSecond() ? candidate : best;
    }

    private static Rate applied(ChangeApplier applier, int rows, List<List<SaleChange>> batches) throws SQLException {
        long start = System.nanoTime();
        for (List<SaleChange> batch : batches) {
            applier.apply(batch, List.of());
        }
        return Rate.of(rows, System.nanoTime() - start);
    }

    private static List<List<SaleChange>> batches(int rows, ChangeMix mix) {
        return batches(rows, mix, BATCH);
    }

    /** The changes in batches, each keeping only the newest version of a sale as the consumer does. */
    private static List<List<SaleChange>> batches(int rows, ChangeMix mix, int size) {
        ChangeMaker maker = new ChangeMaker("b001", mix, 7);
        Instant now = Instant.now();
        List<List<SaleChange>> batches = new ArrayList<>();
        Map<String, SaleChange> batch = new LinkedHashMap<>();
        for (int seq = 1; seq <= rows; seq++) {
            Sale sale = maker.next();
            batch.put(sale.id().toString(), SaleChange.of(seq, now, sale));
            if (seq % size == 0 || seq == rows) {
                batches.add(new ArrayList<>(batch.values()));
                batch.clear();
            }
        }
        return batches;
    }

    /** Batches of one change from each of {@value #SPREAD_BATCH} branches, each branch with the same mix as one. */
    private static List<List<SaleChange>> spreadBatches(int rows, ChangeMix mix) {
        List<ChangeMaker> makers = new ArrayList<>();
        for (int branch = 1; branch <= SPREAD_BATCH; branch++) {
            makers.add(new ChangeMaker(String.format("b%03d", branch), mix, 7 + branch));
        }
        Instant now = Instant.now();
        List<List<SaleChange>> batches = new ArrayList<>();
        for (int seq = 1; seq <= rows / SPREAD_BATCH; seq++) {
            List<SaleChange> batch = new ArrayList<>(SPREAD_BATCH);
            for (ChangeMaker maker : makers) {
                batch.add(SaleChange.of(seq, now, maker.next()));
            }
            batches.add(batch);
        }
        return batches;
    }

    @FunctionalInterface
    private interface BatchWrite {
        void write(Connection connection, List<SaleChange> batch) throws SQLException;
    }

    private static Rate timed(HikariDataSource pool, int rows, List<List<SaleChange>> batches, BatchWrite write)
            throws SQLException {
        long start = System.nanoTime();
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            for (List<SaleChange> batch : batches) {
                write.write(connection, batch);
                connection.commit();
            }
            connection.setAutoCommit(true);
        }
        return Rate.of(rows, System.nanoTime() - start);
    }

    private static void plainUpsert(Connection connection, List<SaleChange> batch) throws SQLException {
        PLAIN_UPSERT.execute(connection, batch);
    }

    /**
     * Drops the window's sort indexes on {@code sale} but the date one (the table is then indexed
     * about as it was before the window needed them); returns how many were dropped.
     */
    private int dropSortIndexes(HikariDataSource pool) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (Connection connection = pool.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT DISTINCT index_name FROM information_schema.statistics"
                                + " WHERE table_schema = ? AND table_name = 'sale' AND index_name LIKE 'idx\\_sale\\_live\\_%'"
                                + " AND index_name <> 'idx_sale_live_date'")) {
            statement.setString(1, schema);
            try (var rs = statement.executeQuery()) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
            try (Statement drop = connection.createStatement()) {
                for (String index : indexes) {
                    // The names come from the schema itself, not from input.
                    drop.execute("ALTER TABLE sale DROP INDEX " + index);
                }
            }
        }
        return indexes.size();
    }

    private static void empty(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE TABLE sale");
            statement.execute("TRUNCATE TABLE sale_daily");
            statement.execute("TRUNCATE TABLE sale_daily_all");
            statement.execute("TRUNCATE TABLE sale_branch_total");
            statement.execute("TRUNCATE TABLE branch_progress");
        }
    }
}
