package io.salesync.headoffice.service;

import io.salesync.common.event.SaleChange;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.persistence.AggregateRepository.BranchProgress;
import io.salesync.common.sale.Sale;
import io.salesync.headoffice.persistence.AggregateRepository.DailyDelta;
import io.salesync.headoffice.persistence.AggregateRepository.DeadLetter;
import io.salesync.headoffice.persistence.AggregateRepository.StoredSale;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Applies a batch of changes in one MySQL transaction: the sales (only versions newer than what is
 * stored), the daily summary the window reads its totals from, each branch's progress, and the log
 * of dead-lettered messages. The caller acknowledges the
 * messages only after this returns.
 */
public final class ChangeApplier {

    private final AggregateRepository repository;
    private final Clock clock;

    public ChangeApplier(AggregateRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * @throws SQLException when the transaction could not be committed; nothing was applied
     */
    public void apply(List<SaleChange> changes, List<DeadLetter> deadLetters) throws SQLException {
        Instant now = clock.instant();
        Collection<SaleChange> newest = newestPerSale(changes);
        Collection<BranchProgress> progress = progressOf(changes, now);
        try (Connection connection = repository.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                Map<String, StoredSale> stored = repository.lockStored(connection, newest);
                repository.upsert(connection, newest, now);
                repository.addToDaily(connection, dailyDeltas(newest, stored));
                repository.recordProgress(connection, progress);
                repository.recordDeadLetters(connection, deadLetters);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** Within a batch only the highest version of each sale matters; the rest would be no-ops. */
    static Collection<SaleChange> newestPerSale(List<SaleChange> changes) {
        Map<String, SaleChange> newest = new LinkedHashMap<>();
        for (SaleChange change : changes) {
            UUID id = change.sale().id();
            newest.merge(change.branchId() + "/" + id, change,
                    (kept, candidate) -> candidate.sale().version() > kept.sale().version() ? candidate : kept);
        }
        return newest.values();
    }

    /**
     * What the changes do to the daily summary: a change that wins (no stored row, or a higher
     * version) takes the stored live sale out of its (branch, day, region) line and puts the new one
     * in, unless it is a delete. A change that loses does nothing, like its upsert.
     */
    static Collection<DailyDelta> dailyDeltas(Collection<SaleChange> newest, Map<String, StoredSale> stored) {
        Map<String, DailyDelta> deltas = new LinkedHashMap<>();
        for (SaleChange change : newest) {
            Sale sale = change.sale();
            StoredSale old = stored.get(change.branchId() + "/" + sale.id());
            if (old != null && sale.version() <= old.version()) {
                continue;
            }
            if (old != null && !old.deleted()) {
                add(deltas, new DailyDelta(change.branchId(), old.date(), old.region(), -1, -old.qty(), old.amt().negate(),
                        old.tax().negate(), old.total().negate()));
            }
            if (!sale.deleted()) {
                add(deltas, new DailyDelta(change.branchId(), sale.date(), sale.region(), 1, sale.qty(), sale.amt(), sale.tax(),
                        sale.total()));
            }
        }
        return deltas.values();
    }

    private static void add(Map<String, DailyDelta> deltas, DailyDelta delta) {
        deltas.merge(delta.branchId() + "|" + delta.date() + "|" + delta.region(), delta,
                (a, b) -> new DailyDelta(a.branchId(), a.date(), a.region(), a.sales() + b.sales(), a.qty() + b.qty(),
                        a.amt().add(b.amt()), a.tax().add(b.tax()), a.total().add(b.total())));
    }

    static Collection<BranchProgress> progressOf(List<SaleChange> changes, Instant now) {
        Map<String, BranchProgress> progress = new LinkedHashMap<>();
        for (SaleChange change : changes) {
            progress.merge(change.branchId(),
                    new BranchProgress(change.branchId(), change.seq(), 1, change.occurredAt(), now),
                    (a, b) -> {
                        BranchProgress newer = b.lastSeq() > a.lastSeq() ? b : a;
                        return new BranchProgress(a.branchId(), newer.lastSeq(), a.appliedChanges() + b.appliedChanges(),
                                newer.lastMessageAt(), now);
                    });
        }
        return progress.values();
    }
}
