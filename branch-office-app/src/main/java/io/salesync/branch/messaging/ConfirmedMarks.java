package io.salesync.branch.messaging;

import io.salesync.branch.persistence.OutboxRepository;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Confirmed changes waiting to be recorded in the outbox. They are written in runs, at most
 * {@link #MARK_EVERY} after the first of a run arrived or once {@link #MARK_AT_MOST} wait: a confirm
 * not recorded yet when the process stops only means that change is sent once more. Kept while
 * the database does not answer, and written at the next attempt.
 *
 * <p>Relay thread only.
 */
final class ConfirmedMarks {

    static final Duration MARK_EVERY = Duration.ofMillis(500);
    static final int MARK_AT_MOST = 1_000;

    /** What a write recorded: when, and the highest change. */
    record Recorded(Instant at, long highest) {}

    private final OutboxRepository outbox;
    private final Clock clock;
    private final List<Long> waiting = new ArrayList<>();
    private long firstWaitingNanos;

    ConfirmedMarks(OutboxRepository outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    void add(List<Long> confirmed) {
        if (confirmed.isEmpty()) {
            return;
        }
        if (waiting.isEmpty()) {
            firstWaitingNanos = System.nanoTime();
        }
        waiting.addAll(confirmed);
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** How long until the waiting marks are due (zero when due or when none wait). */
    Duration dueIn() {
        if (waiting.isEmpty()) {
            return Duration.ZERO;
        }
        long left = MARK_EVERY.toNanos() - (System.nanoTime() - firstWaitingNanos);
        return Duration.ofNanos(Math.max(0, left));
    }

    /**
     * Writes the waiting marks when they are due, or at once when {@code now}.
     *
     * @return what was recorded, or null when nothing was written
     * @throws SQLException when the database does not answer; the marks keep waiting
     */
    Recorded flush(boolean now) throws SQLException {
        if (waiting.isEmpty() || !now && waiting.size() < MARK_AT_MOST && !dueIn().isZero()) {
            return null;
        }
        Instant at = clock.instant();
        outbox.markPublished(waiting, at);
        long highest = waiting.stream().mapToLong(Long::longValue).max().orElse(0);
        waiting.clear();
        return new Recorded(at, highest);
    }
}
