package io.salesync.common.event;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Brackets a resync, in which a branch resends every sale it holds through its outbox. Between
 * {@link Phase#STARTED} (sequence S) and {@link Phase#FINISHED} every sale the branch had at S is
 * sent again at its current version; when the head office reaches FINISHED, a row it holds for the
 * branch that no message since S mentioned is a row the branch does not have, and it is removed.
 *
 * @param resyncId the request this answers
 * @param rows     sales the branch holds at the start (tombstones included); the resync's size
 */
public record ResyncMarker(String branchId, long seq, Instant occurredAt, UUID resyncId, Phase phase, long rows)
        implements BranchMessage {

    public static final String MESSAGE_TYPE = "branch.resync";

    /** Start or end of a resync. */
    public enum Phase {
        STARTED,
        FINISHED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ResyncMarker {
        Objects.requireNonNull(branchId, "branchId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(resyncId, "resyncId");
        Objects.requireNonNull(phase, "phase");
    }

    @Override
    public String messageType() {
        return MESSAGE_TYPE;
    }
}
