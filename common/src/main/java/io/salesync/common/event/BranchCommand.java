package io.salesync.common.event;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A request from the head office to one branch, sent to the branch's control queue.
 *
 * @param requestId   identifies the request in both sides' logs; a resync carries it in its markers
 * @param requestedBy who asked (the operator's command or the head-office window)
 */
public record BranchCommand(String branchId, Action action, UUID requestId, Instant requestedAt, String requestedBy) {

    public static final String MESSAGE_TYPE = "branch.command";

    /** What the branch is asked to do. */
    public enum Action {
        /** Send a checkpoint now. */
        CHECKPOINT,
        /** Resend every sale, then a checkpoint. */
        RESYNC;

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
    }

    public static BranchCommand of(String branchId, Action action, Instant at, String requestedBy) {
        return new BranchCommand(branchId, action, UUID.randomUUID(), at, requestedBy);
    }
}
