package io.salesync.common.event;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A request from the head office to one branch, sent to the branch's control queue.
 *
 * @param requestId   identifies the request in both sides' logs; a resync carries it in its markers
 * @param requestedBy who asked (the operator's command, the head-office window, or the head office
 *                    itself when it lost changes)
 * @param fromSeq     for {@link Action#RESEND}, the first sequence number asked for again; 0 otherwise
 */
public record BranchCommand(
        String branchId, Action action, UUID requestId, Instant requestedAt, String requestedBy, long fromSeq) {

    public static final String MESSAGE_TYPE = "branch.command";

    /** What the branch is asked to do. */
    public enum Action {
        /** Send a checkpoint now. */
        CHECKPOINT,
        /** Resend every sale, then a checkpoint. */
        RESYNC,
        /**
         * Send the changes from a sequence number on again, from the outbox; when they are no longer
         * there (older than its retention), resync instead, under the same request id.
         */
        RESEND;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BranchCommand {
        Objects.requireNonNull(branchId, "branchId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(requestedBy, "requestedBy");
        if (action == Action.RESEND ? fromSeq < 1 || fromSeq > BranchMessage.MAX_SEQ : fromSeq != 0) {
            throw new IllegalArgumentException(
                    "fromSeq " + fromSeq + " does not fit a " + action.wireName() + " request");
        }
    }

    /** A checkpoint or resync request. */
    public static BranchCommand of(String branchId, Action action, Instant at, String requestedBy) {
        return new BranchCommand(branchId, action, UUID.randomUUID(), at, requestedBy, 0);
    }

    /** A request to send the changes from {@code fromSeq} on again. */
    public static BranchCommand resend(String branchId, long fromSeq, Instant at, String requestedBy) {
        return new BranchCommand(branchId, Action.RESEND, UUID.randomUUID(), at, requestedBy, fromSeq);
    }
}
