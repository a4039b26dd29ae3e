package io.salesync.branch.messaging;

import io.salesync.branch.persistence.OutboxRepository;
import io.salesync.common.codec.HeartbeatCodec;
import io.salesync.common.event.BranchHeartbeat;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Tells the head office every {@code interval} that this branch's relay runs, and what it knows of
 * its backlog: the last sequence number written to the outbox and how many changes the broker has
 * not confirmed. The heartbeat goes beside the outbox, on the relay's channel after the changes it
 * counts, as a transient, expiring message the relay does not wait for ({@link RelayChannel#publishHeartbeat});
 * a lost one costs nothing, the next one says the same. Relay thread only.
 */
final class HeartbeatSender {

    static final Duration LEAST_EXPIRY = Duration.ofMinutes(15);

    private final String branchId;
    private final OutboxRepository outbox;
    private final Duration interval;
    private final Clock clock;
    private final HeartbeatCodec codec = new HeartbeatCodec();
    private Instant lastSent;

    HeartbeatSender(String branchId, OutboxRepository outbox, Duration interval, Clock clock) {
        this.branchId = branchId;
        this.outbox = outbox;
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * Sends a heartbeat on the channel when one is due (the first at once) and the channel has not
     * failed; reads two numbers of the outbox.
     */
    void sendWhenDue(RelayChannel channel) throws SQLException, IOException {
        Instant now = clock.instant();
        if (channel.window().failure() != null
                || lastSent != null && Duration.between(lastSent, now).compareTo(interval) < 0) {
            return;
        }
        long lastSeq = outbox.lastSeq();
        long unconfirmed = Math.min(outbox.backlog(), lastSeq);
        BranchHeartbeat heartbeat =
                new BranchHeartbeat(branchId, now, lastSeq, unconfirmed, (int) interval.toSeconds());
        channel.publishHeartbeat(heartbeat.messageId(), codec.encode(heartbeat), now, expiry());
        lastSent = now;
    }

    /**
     * How long a heartbeat may wait in the queue: four intervals, at least {@link #LEAST_EXPIRY}, so
     * that a head office stopped for a day does not find thousands of them per branch, while one
     * catching up a backlog still receives the recent ones.
     */
    Duration expiry() {
        Duration four = interval.multipliedBy(4);
        return four.compareTo(LEAST_EXPIRY) > 0 ? four : LEAST_EXPIRY;
    }

    /** How long until the next heartbeat is due (zero when it is). */
    Duration dueIn() {
        if (lastSent == null) {
            return Duration.ZERO;
        }
        Duration left = interval.minus(Duration.between(lastSent, clock.instant()));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
