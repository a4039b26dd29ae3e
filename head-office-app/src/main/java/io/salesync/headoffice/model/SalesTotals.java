package io.salesync.headoffice.model;

import java.math.BigDecimal;

/** Sums over every row of a filter, computed by the database. */
public record SalesTotals(long count, long qty, BigDecimal amt, BigDecimal tax, BigDecimal total) {

    public static final SalesTotals NONE = new SalesTotals(
            0, 0, BigDecimal.ZERO.setScale(2), BigDecimal.ZERO.setScale(2), BigDecimal.ZERO.setScale(2));
}
