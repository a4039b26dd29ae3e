package io.salesync.headoffice.model;

import java.math.BigDecimal;
import java.time.LocalDate;

/** An amount to add to one (branch, day, region) line of the daily summary; negative to take away. */
public record DailyDelta(
        String branchId,
        LocalDate date,
        String region,
        long sales,
        long qty,
        BigDecimal amt,
        BigDecimal tax,
        BigDecimal total) {

    /** Which line of the summary it goes to. */
    public record Line(String branchId, LocalDate date, String region) {}

    public Line line() {
        return new Line(branchId, date, region);
    }

    /** This delta and another of the same line, added up. */
    public DailyDelta plus(DailyDelta other) {
        return new DailyDelta(
                branchId,
                date,
                region,
                sales + other.sales,
                qty + other.qty,
                amt.add(other.amt),
                tax.add(other.tax),
                total.add(other.total));
    }
}
