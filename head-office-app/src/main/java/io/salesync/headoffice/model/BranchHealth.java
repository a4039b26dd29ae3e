package io.salesync.headoffice.model;

import java.time.Instant;

/**
 * One branch as the head office sees it.
 *
 * @param lastMessageAt    when the branch made the newest change applied here (branch clock), or null
 * @param lastAppliedAt    when the head office applied it, or null
 * @param lastSeq          highest outbox sequence number applied (0 when none)
 * @param rowsHeld         live sales of this branch held here
 * @param deadLettered     messages refused in this branch's name, ever
 * @param openDeadLetters  of those, the ones nobody retried or discarded yet
 * @param outboxBacklog    changes not yet confirmed by the broker, as the branch's latest heartbeat
 *                         said, or -1 without a heartbeat
 * @param health           the verdict
 * @param why              one sentence explaining the verdict
 * @param verification     sequence gaps, the latest checkpoint and resync, or null before the first message
 * @param gapReported      a gap has stayed open longer than the head office waits for late changes
 * @param lastHeartbeatAt  when the head office received the branch's latest heartbeat, or null
 * @param reportedSeq      the last sequence number the branch wrote, as that heartbeat said (0 without one)
 */
public record BranchHealth(
        String branchId,
        Instant lastMessageAt,
        Instant lastAppliedAt,
        long lastSeq,
        long rowsHeld,
        long deadLettered,
        long openDeadLetters,
        long outboxBacklog,
        Health health,
        String why,
        Verification verification,
        boolean gapReported,
        Instant lastHeartbeatAt,
        long reportedSeq) {}
