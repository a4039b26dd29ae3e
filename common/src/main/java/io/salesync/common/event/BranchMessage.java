package io.salesync.common.event;

import java.time.Instant;

/**
 * A message a branch sends through its outbox. Every kind takes its place in the branch's one
 * sequence, so the head office applies them in the order the branch wrote them and can tell when
 * one is missing.
 */
public sealed interface BranchMessage permits SaleChange, BranchCheckpoint, ResyncMarker {

    /** The branch that wrote it. */
    String branchId();

    /** The branch's outbox sequence number: gapless and increasing per branch. */
    long seq();

    /** When the branch committed it. */
    Instant occurredAt();

    /** The AMQP {@code type} property and the body's {@code type} field. */
    String messageType();

    /** The AMQP message id: unique per branch and sequence number, stable across resends. */
    default String messageId() {
        return SaleChange.messageId(branchId(), seq());
    }
}
