package io.salesync.bench.workload;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.branch.persistence.OutboxRepository;
import io.salesync.branch.persistence.OutboxRepository.OutboxMessage;
import io.salesync.branch.persistence.SaleRepository;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StatementGroup;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a backlog of changes into a branch's own tables quickly: the rows {@code SaleService}
 * would write (a sale version and its outbox row with the encoded message, gapless sequence
 * numbers taken the same way), but {@value #CHUNK} changes per transaction instead of one, through
 * the branch's repositories. Used only to prepare a backlog; the measured paths use the real
 * service and relay.
 */
public final class BacklogWriter {

    static final int CHUNK = 500;

    private final String branchId;
    private final DatabaseSettings database;
    private final ChangeMix mix;
    private final SaleChangeCodec codec = new SaleChangeCodec();

    public BacklogWriter(String branchId, DatabaseSettings database, ChangeMix mix) {
        this.branchId = branchId;
        this.database = database;
        this.mix = mix;
    }

    /** What a backlog holds. */
    public record Written(long inserts, long updates, long deletes, long lastSeq) {

        public long changes() {
            return inserts + updates + deletes;
        }
    }

    /** Writes {@code count} changes drawn from the mix with a random source seeded by {@code seed}. */
    public Written write(int count, long seed) throws SQLException {
        ChangeMaker maker = new ChangeMaker(branchId, mix, seed);
        long lastSeq = 0;
        try (HikariDataSource pool = pool()) {
            OutboxRepository outbox = new OutboxRepository(pool);
            SaleRepository sales = new SaleRepository(pool, branchId);
            for (int written = 0; written < count; ) {
                int n = Math.min(CHUNK, count - written);
                long[] last = {0};
                Databases.inTransaction(pool, connection -> last[0] = writeChunk(connection, sales, outbox, maker, n));
                lastSeq = last[0];
                written += n;
            }
        }
        return new Written(maker.inserts(), maker.updates(), maker.deletes(), lastSeq);
    }

    /**
     * Writes {@code count} changes in one transaction and leaves it open: nobody sees them, the
     * branch's relay included, until {@link Held#commit}. So the backlogs of many branches can be
     * released at one moment while their relays already run.
     */
    public Held hold(int count, long seed) throws SQLException {
        ChangeMaker maker = new ChangeMaker(branchId, mix, seed);
        HikariDataSource pool = pool();
        try {
            Connection connection = pool.getConnection();
            connection.setAutoCommit(false);
            OutboxRepository outbox = new OutboxRepository(pool);
            SaleRepository sales = new SaleRepository(pool, branchId);
            long lastSeq = 0;
            for (int written = 0; written < count; ) {
                int n = Math.min(CHUNK, count - written);
                lastSeq = writeChunk(connection, sales, outbox, maker, n);
                written += n;
            }
            return new Held(branchId, pool, connection, lastSeq);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** A branch's backlog written in a transaction not committed yet; closing it without a commit rolls it back. */
    public static final class Held implements AutoCloseable {

        private final String branchId;
        private final HikariDataSource pool;
        private final Connection connection;
        private final long lastSeq;

        private Held(String branchId, HikariDataSource pool, Connection connection, long lastSeq) {
            this.branchId = branchId;
            this.pool = pool;
            this.connection = connection;
            this.lastSeq = lastSeq;
        }

        public String branchId() {
            return branchId;
        }

        /** The highest outbox sequence number of the backlog: what the head office must reach. */
        public long lastSeq() {
            return lastSeq;
        }

        public void commit() throws SQLException {
            connection.commit();
        }

        @Override
        public void close() throws SQLException {
            try {
                connection.close();
            } finally {
                pool.close();
            }
        }

        /** Closes every one of them, the rest too when one fails. */
        public static void closeAll(List<Held> held) throws SQLException {
            SQLException first = null;
            for (Held backlog : held) {
                try {
                    backlog.close();
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    private HikariDataSource pool() {
        return Databases.pool(
                new DatabaseSettings(database.url(), database.user(), database.password(), 1),
                "bench-backlog-" + branchId);
    }

    /** Writes {@code n} changes in the caller's transaction; returns the last sequence number taken. */
    private long writeChunk(
            Connection connection, SaleRepository sales, OutboxRepository outbox, ChangeMaker maker, int n)
            throws SQLException {
        List<Sale> created = new ArrayList<>();
        List<Long> createdSeqs = new ArrayList<>();
        List<Sale> changed = new ArrayList<>();
        List<Long> changedSeqs = new ArrayList<>();
        List<OutboxMessage> messages = new ArrayList<>(n);
        Instant now = Instant.now();
        long first = outbox.reserveSequence(connection, n);
        for (int i = 0; i < n; i++) {
            long seq = first + i;
            Sale sale = maker.next();
            if (sale.version() == 1) {
                created.add(sale);
                createdSeqs.add(seq);
            } else {
                changed.add(sale);
                changedSeqs.add(seq);
            }
            messages.add(new OutboxMessage(
                    seq,
                    sale.id().toString(),
                    SaleChange.MESSAGE_TYPE,
                    codec.encode(SaleChange.of(seq, now, sale)),
                    now));
        }
        // New sales first: a correction in the same chunk may be about one of them.
        sales.insertAll(connection, created, createdSeqs, now);
        for (int i = 0; i < changed.size(); i++) {
            if (sales.update(new StatementGroup(), changed.get(i), changedSeqs.get(i), now)
                            .execute(connection)[0]
                    != 1) {
                throw new SQLException("branch " + branchId + ": sale "
                        + changed.get(i).id() + " is not at version "
                        + (changed.get(i).version() - 1) + " (is another writer using this schema?)");
            }
        }
        outbox.append(connection, messages);
        return first + n - 1;
    }
}
