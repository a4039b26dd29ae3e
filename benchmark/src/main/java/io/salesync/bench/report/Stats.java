package io.salesync.bench.report;

import io.salesync.bench.report.Figures.Percentiles;
import java.util.Arrays;

/** Order statistics (nearest rank) of durations in milliseconds. */
public final class Stats {

    private Stats() {}

    /** Percentiles of the values, or null when there are none. */
    public static Percentiles percentiles(double[] values) {
        if (values.length == 0) {
            return null;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double value : sorted) {
            sum += value;
        }
        return new Percentiles(
                sorted.length,
                rank(sorted, 50),
                rank(sorted, 95),
                rank(sorted, 99),
                Figures.round(sorted[sorted.length - 1], 2),
                Figures.round(sum / sorted.length, 2));
    }

    private static double rank(double[] sorted, double percent) {
        int index = (int) Math.ceil(percent / 100 * sorted.length) - 1;
        return Figures.round(sorted[Math.max(0, Math.min(sorted.length - 1, index))], 2);
    }
}
