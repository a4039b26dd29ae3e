package io.salesync.common.event;

import io.salesync.common.db.SaleChecksum;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a branch holds, as of just before this message's sequence number: its sales count, live
 * count and order-independent checksum ({@link SaleChecksum}). The head office computes the same
 * figures over its rows for the branch once it has applied everything before {@code seq}, and
 * records whether they match.
 *
 * @param trigger why it was taken: one of {@link #TRIGGERS}
 */
public record BranchCheckpoint(
        String branchId, long seq, Instant occurredAt, SaleChecksum.Figures figures, String trigger)
        implements BranchMessage {

    public static final String MESSAGE_TYPE = "branch.checkpoint";

    /** Taken shortly after the branch started. */
    public static final String STARTUP = "startup";
    /** Taken every checkpoint interval. */
    public static final String SCHEDULED = "scheduled";
    /** Taken because the head office asked for one. */
    public static final String REQUESTED = "requested";
    /** Taken at the end of a resync. */
    public static final String RESYNC = "resync";
    /** Every {@code trigger} a branch writes; the head office refuses any other. */
    public static final List<String> TRIGGERS = List.of(STARTUP, SCHEDULED, REQUESTED, RESYNC);

    public BranchCheckpoint {
        Objects.requireNonNull(branchId, "branchId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(figures, "figures");
        Objects.requireNonNull(trigger, "trigger");
    }

    @Override
    public String messageType() {
        return MESSAGE_TYPE;
    }
}
