package io.salesync.headoffice.ui;

import io.salesync.headoffice.model.DailyTotal;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The chart's lines from the daily totals: how days group into points, and which line is which. No Swing. */
final class ChartLines {

    private ChartLines() {}

    /** How days are grouped into points. */
    enum Bucket {
        DAY("day"),
        WEEK("week"),
        MONTH("month");

        private final String label;

        Bucket(String label) {
            this.label = label;
        }

        /** The period's name in the chart's title ("day"). */
        String label() {
            return label;
        }

        LocalDate start(LocalDate day) {
            return switch (this) {
                case DAY -> day;
                case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTH -> day.withDayOfMonth(1);
            };
        }

        static Bucket forSpan(List<DailyTotal> totals) {
            if (totals.isEmpty()) {
                return DAY;
            }
            LocalDate first = totals.stream()
                    .map(DailyTotal::date)
                    .min(LocalDate::compareTo)
                    .orElseThrow();
            LocalDate last = totals.stream()
                    .map(DailyTotal::date)
                    .max(LocalDate::compareTo)
                    .orElseThrow();
            long span = ChronoUnit.DAYS.between(first, last);
            return span > 730 ? MONTH : span > 120 ? WEEK : DAY;
        }
    }

    /**
     * The lines of the chart by legend name, each day's value summed into its period: the total
     * first (rows with a null branch id, named {@code totalLabel}), then each branch by id.
     */
    static Map<String, TreeMap<LocalDate, BigDecimal>> lines(
            List<DailyTotal> totals, String totalLabel, Bucket bucket) {
        Map<String, TreeMap<LocalDate, BigDecimal>> byBranch = new TreeMap<>();
        TreeMap<LocalDate, BigDecimal> total = new TreeMap<>();
        for (DailyTotal daily : totals) {
            TreeMap<LocalDate, BigDecimal> line = daily.branchId() == null
                    ? total
                    : byBranch.computeIfAbsent(daily.branchId(), id -> new TreeMap<>());
            line.merge(bucket.start(daily.date()), daily.total(), BigDecimal::add);
        }
        Map<String, TreeMap<LocalDate, BigDecimal>> lines = new LinkedHashMap<>();
        if (!total.isEmpty()) {
            lines.put(totalLabel == null ? "Total" : totalLabel, total);
        }
        lines.putAll(byBranch);
        return lines;
    }

    /** True when the data reach into the period that holds {@code today}, which is not over yet. */
    static boolean hasCurrentPeriod(List<DailyTotal> totals, Bucket bucket, LocalDate today) {
        LocalDate current = bucket.start(today);
        return totals.stream().anyMatch(total -> !bucket.start(total.date()).isBefore(current));
    }
}
