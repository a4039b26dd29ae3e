package io.salesync.headoffice.model;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * What the aggregate holds for a sale now (read under lock before a change is applied).
 *
 * @param branchSeq the sequence number of the change that wrote it; 0 while it waits for its
 *                  resend in a resync (any change then replaces it)
 */
public record StoredSale(
        long version,
        boolean deleted,
        LocalDate date,
        String region,
        int qty,
        BigDecimal amt,
        BigDecimal tax,
        BigDecimal total,
        long branchSeq) {

    /** A row written by a change (not waiting for a resync). */
    public StoredSale(
            long version,
            boolean deleted,
            LocalDate date,
            String region,
            int qty,
            BigDecimal amt,
            BigDecimal tax,
            BigDecimal total) {
        this(version, deleted, date, region, qty, amt, tax, total, 1);
    }

    /** Whether a change at {@code changeVersion} replaces this row. */
    public boolean replacedBy(long changeVersion) {
        return changeVersion > version || branchSeq == 0;
    }
}
