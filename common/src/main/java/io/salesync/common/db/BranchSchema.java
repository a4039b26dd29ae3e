package io.salesync.common.db;

/**
 * Read-only queries on a branch schema that tools outside the branch app also run (the operator's
 * status command): how far the outbox is, and what the branch holds.
 */
public final class BranchSchema {

    /** Changes not yet confirmed by the broker. */
    public static final String BACKLOG = "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL";

    /** Highest outbox sequence number written, 0 when none. */
    public static final String LAST_SEQ = "SELECT next_seq - 1 FROM outbox_sequence WHERE id = 1";

    /** {@link SaleChecksum} figures over every sale, tombstones included. */
    public static final String FIGURES = "SELECT " + SaleChecksum.SELECT_LIST + " FROM sale";

    private BranchSchema() {
    }
}
