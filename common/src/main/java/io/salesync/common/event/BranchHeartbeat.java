package io.salesync.common.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A running branch's sign of life, sent by its relay every few seconds beside the outbox (not
 * through it): it takes no sequence number, is never applied as a sale, and one that is lost
 * changes nothing but the time the head office last heard from the branch. It says what the branch
 * knows of its own backlog, so that the head office can tell a quiet branch from one it is behind.
 *
 * @param sentAt          when the branch sent it (branch clock)
 * @param lastSeq         the highest sequence number written to the branch's outbox, 0 when none
 * @param unconfirmed     outbox changes the broker has not confirmed yet, from 0 to {@code lastSeq}
 * @param intervalSeconds how often the branch sends one, from 1 to {@link #MAX_INTERVAL_SECONDS}
 */
public record BranchHeartbeat(String branchId, Instant sentAt, long lastSeq, long unconfirmed, int intervalSeconds) {

    public static final String MESSAGE_TYPE = "branch.heartbeat";

    /** The longest interval a branch may announce: one hour. */
    public static final int MAX_INTERVAL_SECONDS = 3600;

    public BranchHeartbeat {
        Objects.requireNonNull(branchId, "branchId");
        Objects.requireNonNull(sentAt, "sentAt");
        if (lastSeq < 0 || lastSeq > BranchMessage.MAX_SEQ) {
            throw new IllegalArgumentException(
                    "lastSeq must be from 0 to " + BranchMessage.MAX_SEQ + ", was " + lastSeq);
        }
        if (unconfirmed < 0 || unconfirmed > lastSeq) {
            throw new IllegalArgumentException(
                    "unconfirmed must be from 0 to lastSeq (" + lastSeq + "), was " + unconfirmed);
        }
        if (intervalSeconds < 1 || intervalSeconds > MAX_INTERVAL_SECONDS) {
            throw new IllegalArgumentException(
                    "intervalSeconds must be from 1 to " + MAX_INTERVAL_SECONDS + ", was " + intervalSeconds);
        }
    }

    /** The AMQP message id: unique per branch and sending time. */
    public String messageId() {
        return branchId + ":heartbeat:" + sentAt.toEpochMilli();
    }
}
