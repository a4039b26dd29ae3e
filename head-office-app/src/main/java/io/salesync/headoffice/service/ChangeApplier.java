package io.salesync.headoffice.service;

import io.salesync.common.event.SaleChange;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.persistence.AggregateRepository.BranchProgress;
import io.salesync.headoffice.persistence.AggregateRepository.DeadLetter;
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
 * stored), each branch's progress, and the log of dead-lettered messages. The caller acknowledges the
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
                repository.upsert(connection, newest, now);
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
