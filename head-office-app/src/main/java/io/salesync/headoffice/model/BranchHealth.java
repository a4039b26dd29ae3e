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
 * @param outboxBacklog    changes waiting in the branch's outbox, or -1 when not known here
 * @param health           the verdict
 * @param why              one sentence explaining the verdict
 * @param verification     sequence gaps, the latest checkpoint and resync, or null before the first message
 * @param gapReported      a gap has stayed open longer than the head office waits for late changes
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
        boolean gapReported) {}
