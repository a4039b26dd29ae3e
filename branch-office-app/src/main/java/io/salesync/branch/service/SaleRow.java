package io.salesync.branch.service;

import io.salesync.common.sale.Sale;

/**
 * A live sale as the clerk's table shows it: the sale and how far its current version has got.
 *
 * @param sale    the current version
 * @param sync    pending, synced (confirmed by the broker) or failed
 * @param failure why the last attempt to send it failed (only when {@code sync} is FAILED), else null
 */
public record SaleRow(Sale sale, Sync sync, String failure) {

    /** Where the current version of a sale is on its way to the head office. */
    public enum Sync {
        /** Saved here, waiting for the broker's confirmation. */
        PENDING,
        /** Confirmed by the broker: it will reach the head office. */
        SYNCED,
        /** The last attempt to send it failed; it is sent again automatically. */
        FAILED
    }

    /** What the table's Sync column says, for example {@code failed: no confirm within 10000 ms}. */
    public String syncText() {
        return switch (sync) {
            case PENDING -> "pending";
            case SYNCED -> "synced";
            case FAILED -> "failed: " + failure;
        };
    }
}
