package io.salesync.branch.messaging;

import io.salesync.branch.persistence.OutboxRepository;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every ten minutes, deletes confirmed outbox rows older than the retention, a batch at a time, so
 * that the branch database does not grow without bound. Only rows up to the confirmed mark go
 * ({@link OutboxRepository#prunePublishedBefore}): nothing unsent is ever lost, and no hole opens
 * above the first unconfirmed row.
 *
 * <p>Relay thread only.
 */
final class OutboxPruner {

    private static final Logger log = LoggerFactory.getLogger(OutboxPruner.class);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    private static final int PRUNE_BATCH = 5_000;

    private final String branchId;
    private final OutboxRepository outbox;
    private final Duration retention;
    private final Clock clock;
    private Instant lastPrune = Instant.EPOCH;

    OutboxPruner(String branchId, OutboxRepository outbox, Duration retention, Clock clock) {
        this.branchId = branchId;
        this.outbox = outbox;
        this.retention = retention;
        this.clock = clock;
    }

    /** Prunes when ten minutes have passed since the last time; stops between batches when told to. */
    void pruneWhenDue(BooleanSupplier keepGoing) throws SQLException {
        Instant now = clock.instant();
        if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
            return;
        }
        lastPrune = now;
        Instant cutoff = now.minus(retention);
        long pruned = 0;
        for (int deleted = PRUNE_BATCH; deleted == PRUNE_BATCH && keepGoing.getAsBoolean(); ) {
            deleted = outbox.prunePublishedBefore(cutoff, PRUNE_BATCH);
            pruned += deleted;
        }
        if (pruned > 0) {
            log.info("Branch {}: deleted {} confirmed outbox row(s) older than {}", branchId, pruned, cutoff);
        }
    }
}
