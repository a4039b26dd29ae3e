package io.salesync.branch.messaging;

import io.salesync.branch.persistence.OutboxRepository;
import io.salesync.branch.persistence.OutboxRepository.OutboxMessage;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which outbox rows the relay sends next: always the ones right after the last row sent, in
 * sequence order, without a hole. Rows this process has just committed are handed over and sent
 * without being read back; anything else (rows another process wrote, rows written before a restart,
 * a hand-over there was no room for) is read from the outbox, which stays the only record of what
 * must be sent. After a failure the relay starts again after the last confirmed row and sends
 * every row from there, confirmed or not: sending one again is harmless, skipping one would not be.
 *
 * <p>Relay thread only, except {@link #handOver} and {@link #changed}, which any thread may call.
 */
final class SendCursor {

    /** Rows due to be sent, and whether more may be waiting right after them. */
    record Batch(List<OutboxMessage> rows, boolean full) {}

    private static final Logger log = LoggerFactory.getLogger(SendCursor.class);
    private static final Batch NOTHING = new Batch(List.of(), false);
    /** How long a missing row may hold up sending before the relay checks whether it exists at all. */
    private static final Duration HOLE_CHECK = Duration.ofSeconds(2);
    /** Committed rows kept for sending without a read; beyond this they are read from the outbox. */
    private static final int HANDED_OVER_LIMIT = 10_000;

    private final String branchId;
    private final OutboxRepository outbox;
    private final Duration idlePoll;
    private final ConcurrentNavigableMap<Long, OutboxMessage> handedOver = new ConcurrentSkipListMap<>();
    /** Set when the outbox may hold rows not seen yet (a commit, a restart); cleared by a read. */
    private volatile boolean outboxChanged = true;

    private long highestSent;
    private long lastReadNanos;
    private long holeSinceNanos;

    SendCursor(String branchId, OutboxRepository outbox, Duration idlePoll) {
        this.branchId = branchId;
        this.outbox = outbox;
        this.idlePoll = idlePoll;
    }

    /** Keeps rows just committed for sending without a read; false when there is no room (they are read later). */
    boolean handOver(List<OutboxMessage> rows) {
        if (handedOver.size() + rows.size() > HANDED_OVER_LIMIT) {
            return false;
        }
        for (OutboxMessage row : rows) {
            handedOver.put(row.seq(), row);
        }
        return true;
    }

    /** The outbox may hold rows not seen yet. */
    void changed() {
        outboxChanged = true;
    }

    /** Sends from the row after {@code seq} on, at the next {@link #next}. */
    void restartAfter(long seq) {
        highestSent = seq;
        outboxChanged = true;
        holeSinceNanos = 0;
    }

    /** Records that the row was published (not yet confirmed). */
    void sent(long seq) {
        highestSent = seq;
    }

    /** Whether the next row is missing while later ones are there: the relay then looks again soon. */
    boolean waitingAtHole() {
        return holeSinceNanos != 0;
    }

    /** Up to {@code limit} rows that follow the last one sent without a hole; none when none is due yet. */
    Batch next(int limit) throws SQLException {
        handedOver.headMap(highestSent, true).clear();
        List<OutboxMessage> rows = takeHandedOver(limit);
        boolean fromOutbox = rows.isEmpty();
        if (fromOutbox) {
            // Handed-over rows waiting beyond the next number mean that change was committed without
            // being handed over (by another process, say): read the outbox for it.
            boolean hole = !handedOver.isEmpty() || holeSinceNanos != 0;
            if (!outboxChanged && !hole && System.nanoTime() - lastReadNanos < idlePoll.toNanos()) {
                return NOTHING;
            }
            outboxChanged = false;
            lastReadNanos = System.nanoTime();
            rows = outbox.rowsAfter(highestSent, limit);
        }
        List<OutboxMessage> next = new ArrayList<>(rows.size());
        for (OutboxMessage row : rows) {
            if (row.seq() != highestSent + 1 + next.size()) {
                break;
            }
            next.add(row);
        }
        if (next.isEmpty() && !rows.isEmpty()) {
            passHole();
        } else {
            holeSinceNanos = 0;
        }
        boolean full = rows.size() == limit && next.size() == rows.size();
        if (full && fromOutbox) {
            outboxChanged = true;
        }
        return new Batch(next, full);
    }

    /** The handed-over rows that follow the last one sent, without a hole, at most {@code limit}. */
    private List<OutboxMessage> takeHandedOver(int limit) {
        List<OutboxMessage> rows = new ArrayList<>();
        long next = highestSent + 1;
        for (OutboxMessage row = handedOver.get(next);
                row != null && rows.size() < limit;
                row = handedOver.get(++next)) {
            rows.add(row);
        }
        return rows;
    }

    /**
     * The next row is not there while a later one is. Numbers are gapless, but with several writers
     * the database can show change n+1 before n has become visible: n is read again at the next
     * pass (its commit wakes the relay), so nothing is skipped and the order holds. When the hole
     * lasts, the cursor reads under the sequence lock, where every committed row is visible: a number
     * that is then still missing is not in the outbox at all (deleted by hand), and waiting for it
     * would stop the branch for good, so the cursor says so and goes on.
     */
    private void passHole() throws SQLException {
        if (holeSinceNanos == 0) {
            holeSinceNanos = System.nanoTime();
            return;
        }
        if (System.nanoTime() - holeSinceNanos < HOLE_CHECK.toNanos()) {
            return;
        }
        holeSinceNanos = 0;
        long first = outbox.firstRowAfter(highestSent);
        if (first > highestSent + 1) {
            log.warn(
                    "Branch {}: changes {} to {} are not in the outbox (deleted outside salesync?) and cannot be sent;"
                            + " sending goes on from {}. A resync of this branch repairs the head office.",
                    branchId,
                    highestSent + 1,
                    first - 1,
                    first);
            highestSent = first - 1;
        }
        outboxChanged = true;
    }
}
