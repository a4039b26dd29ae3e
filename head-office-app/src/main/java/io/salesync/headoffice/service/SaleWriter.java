package io.salesync.headoffice.service;

import io.salesync.common.db.StatementGroup;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.headoffice.model.DailyDelta;
import io.salesync.headoffice.model.SaleKey;
import io.salesync.headoffice.model.StoredSale;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.persistence.DailySummaries;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a batch's sale changes into the head office's sales table and its daily summary, in the
 * caller's transaction: only the highest version of each sale in the batch, only when it is newer
 * than the stored one, and the difference it makes to the summary.
 */
final class SaleWriter {

    private final AggregateRepository repository;

    SaleWriter(AggregateRepository repository) {
        this.repository = repository;
    }

    /**
     * Writes the changes, then the statements of {@code after}, all in one round trip where they fit;
     * {@code lane} names the lines of the all-branch summary this applier adds to.
     *
     * <p>New sales (version 1) are inserted without being read under lock, since the head office
     * almost never holds them yet: a catch-up is mostly new sales, and a locking read of a row that
     * does not exist costs MySQL nearly as much as one of a row that does. A redelivered or resent
     * sale fails that insert, nothing after it runs, and the changes are then applied the careful
     * way: every stored row read under lock, then the version-guarded upsert.
     */
    void write(Connection connection, int lane, List<SaleChange> changes, Instant now, StatementGroup after)
            throws SQLException {
        if (changes.isEmpty()) {
            after.execute(connection);
            return;
        }
        Collection<SaleChange> newest = newestPerSale(changes);
        List<SaleChange> created = new ArrayList<>();
        List<SaleChange> revised = new ArrayList<>(newest.size());
        for (SaleChange change : newest) {
            (change.sale().version() == 1 ? created : revised).add(change);
        }
        if (!created.isEmpty()) {
            Map<SaleKey, StoredSale> stored = repository.lockStored(connection, revised);
            StatementGroup group = repository.insertNew(new StatementGroup(), created, now);
            repository.upsert(group, revised, now);
            DailySummaries.addTo(group, lane, dailyDeltas(newest, stored)).addAll(after);
            // A failure in a later statement of the insert would leave the earlier ones done.
            Savepoint beforeInsert =
                    AggregateRepository.insertTakesSeveralStatements(created.size()) ? connection.setSavepoint() : null;
            try {
                group.execute(connection);
                return;
            } catch (SQLException e) {
                if (!AggregateRepository.isDuplicateKey(e)) {
                    throw e;
                }
                if (beforeInsert != null) {
                    connection.rollback(beforeInsert);
                }
            }
        }
        Map<SaleKey, StoredSale> stored = repository.lockStored(connection, newest);
        StatementGroup group = repository.upsert(new StatementGroup(), newest, now);
        DailySummaries.addTo(group, lane, dailyDeltas(newest, stored))
                .addAll(after)
                .execute(connection);
    }

    /**
     * Within a batch only the highest version of each sale matters; the rest would be no-ops. Of
     * equal versions the later one is kept, so that its sequence number is recorded.
     */
    static Collection<SaleChange> newestPerSale(List<SaleChange> changes) {
        Map<SaleKey, SaleChange> newest = new LinkedHashMap<>();
        for (SaleChange change : changes) {
            newest.merge(new SaleKey(change.branchId(), change.sale().id()), change, (kept, candidate) -> {
                long keptVersion = kept.sale().version();
                long candidateVersion = candidate.sale().version();
                return candidateVersion > keptVersion || candidateVersion == keptVersion && candidate.seq() > kept.seq()
                        ? candidate
                        : kept;
            });
        }
        return newest.values();
    }

    /**
     * What the changes do to the daily summary: a change that wins (no stored row, or a higher
     * version) takes the stored live sale out of its (branch, day, region) line and puts the new one
     * in, unless it is a delete. A change that loses does nothing, like its upsert.
     */
    static Collection<DailyDelta> dailyDeltas(Collection<SaleChange> newest, Map<SaleKey, StoredSale> stored) {
        Map<DailyDelta.Line, DailyDelta> deltas = new LinkedHashMap<>();
        for (SaleChange change : newest) {
            Sale sale = change.sale();
            StoredSale old = stored.get(new SaleKey(change.branchId(), sale.id()));
            if (old != null && !old.replacedBy(sale.version())) {
                continue;
            }
            if (old != null && !old.deleted()) {
                add(
                        deltas,
                        new DailyDelta(
                                change.branchId(),
                                old.date(),
                                old.region(),
                                -1,
                                -old.qty(),
                                old.amt().negate(),
                                old.tax().negate(),
                                old.total().negate()));
            }
            if (!sale.deleted()) {
                add(
                        deltas,
                        new DailyDelta(
                                change.branchId(),
                                sale.date(),
                                sale.region(),
                                1,
                                sale.qty(),
                                sale.amt(),
                                sale.tax(),
                                sale.total()));
            }
        }
        return deltas.values();
    }

    private static void add(Map<DailyDelta.Line, DailyDelta> deltas, DailyDelta delta) {
        deltas.merge(delta.line(), delta, DailyDelta::plus);
    }
}
