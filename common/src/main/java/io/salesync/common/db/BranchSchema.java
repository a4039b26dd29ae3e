package io.salesync.common.db;

/**
 * Read-only queries on a branch schema that tools outside the branch app also run (the operator's
 * status command): how far the outbox is, and what the branch holds.
 */
public final class BranchSchema {

    /**
     * Outbox rows not yet confirmed by the broker, as a join: rows up to the one-row mark are
     * confirmed, so the count reads only the primary key range above it.
     */
    public static final String UNPUBLISHED_FROM = "FROM outbox_published p JOIN outbox o ON o.seq > p.through_seq"
            + " WHERE p.id = 1 AND o.published_at IS NULL";

    /** Changes not yet confirmed by the broker. */
    public static final String BACKLOG = "SELECT COUNT(*) " + UNPUBLISHED_FROM;

    /** Highest outbox sequence number written, 0 when none. */
    public static final String LAST_SEQ = "SELECT next_seq - 1 FROM outbox_sequence WHERE id = 1";

    /** {@link SaleChecksum} figures over every sale, tombstones included. */
    public static final String FIGURES = "SELECT " + SaleChecksum.SELECT_LIST + " FROM sale";

    private BranchSchema() {}
}
