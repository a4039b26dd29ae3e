package io.salesync.common.event;

import java.time.Instant;

/**
 * A message a branch sends through its outbox. Every kind takes its place in the branch's one
 * sequence, so the head office applies them in the order the branch wrote them and can tell when
 * one is missing.
 */
public sealed interface BranchMessage permits SaleChange, BranchCheckpoint, ResyncMarker {

    /**
     * The highest sequence number a branch may use, 10<sup>13</sup>: a branch making a thousand
     * changes a second without a pause reaches it after 317 years. Every figure derived from sequence
     * numbers then stays far inside a {@code long} and inside the head office's columns: a sale's
     * version and a checkpoint's row counts are at most its sequence number, a checkpoint's checksum
     * at most 10<sup>13</sup> x (2<sup>32</sup> - 1) (23 digits, DECIMAL(30,0)), and a branch's
     * quantity sums at most 10<sup>13</sup> x 100000 = 10<sup>18</sup> (a BIGINT holds 9.2 x
     * 10<sup>18</sup>). The head office refuses a higher number; the branch stops writing changes
     * before it would use one.
     */
    long MAX_SEQ = 10_000_000_000_000L;

    /** The branch that wrote it. */
    String branchId();

    /** The branch's outbox sequence number: gapless and increasing per branch, from 1 to {@link #MAX_SEQ}. */
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
