package io.salesync.common.event;

import io.salesync.common.sale.Sale;
import java.time.Instant;
import java.util.Objects;

/**
 * One change a branch made to one sale, as it travels from the branch's outbox to the head office.
 *
 * @param branchId   the branch that made the change; equals {@code sale.branchId()}
 * @param seq        the branch's outbox sequence number: gapless and increasing per branch
 * @param occurredAt when the branch committed the change
 * @param op         upsert or delete
 * @param sale       the sale at its new version ({@code deleted} set for a delete)
 */
public record SaleChange(String branchId, long seq, Instant occurredAt, ChangeOp op, Sale sale)
        implements BranchMessage {

    /** The AMQP {@code type} property of a sale change message. */
    public static final String MESSAGE_TYPE = "sale.changed";

    public SaleChange {
        Objects.requireNonNull(branchId, "branchId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(sale, "sale");
    }

    public static SaleChange of(long seq, Instant occurredAt, Sale sale) {
        return new SaleChange(
                sale.branchId(), seq, occurredAt, sale.deleted() ? ChangeOp.DELETE : ChangeOp.UPSERT, sale);
    }

    @Override
    public String messageType() {
        return MESSAGE_TYPE;
    }

    public static String messageId(String branchId, long seq) {
        return branchId + ":" + seq;
    }
}
