package io.salesync.headoffice.model;

import java.util.Set;

/**
 * What the daily chart draws for a filter. With a few branches it draws one line per branch, as
 * always; with more branches than it has distinct colours it draws the total of the filter, plus
 * one line per branch picked in the filter when there are at most {@link #MAX_LINES} of them, so
 * that 200 branches never make 200 lines.
 *
 * @param total       draw the total of the filter's branches (one line)
 * @param eachBranch  draw one line per branch of the filter
 * @param totalLabel  the total's name in the legend, or null without a total
 * @param subject     what the chart's title says it sums after the period ("all 200 branches"), or
 *                    null for one line per branch
 * @param hint        a short note next to the title on how to see more, or null
 */
public record ChartPlan(boolean total, boolean eachBranch, String totalLabel, String subject, String hint) {

    /** Most lines of branches the chart draws: as many as its palette has colours. */
    public static final int MAX_LINES = 8;

    /** The chart's title for a period ("day", "week", "month"). */
    public String title(String period) {
        return subject == null ? "Total sales per branch per " + period : "Total sales per " + period + ": " + subject;
    }

    /**
     * @param knownBranches the branches the head office knows of
     * @param picked        the branches picked in the filter (empty: all)
     */
    public static ChartPlan of(int knownBranches, Set<String> picked) {
        int shown = picked.isEmpty() ? knownBranches : picked.size();
        if (knownBranches <= MAX_LINES || shown == 1) {
            return new ChartPlan(false, true, null, null, null);
        }
        if (picked.isEmpty()) {
            String all = "all " + knownBranches + " branches";
            return new ChartPlan(
                    true,
                    false,
                    "Total of " + all,
                    all,
                    "pick up to " + MAX_LINES + " branches in the filter to see each");
        }
        String some = shown + " picked branches";
        if (shown <= MAX_LINES) {
            return new ChartPlan(true, true, "Total of the " + some, shown + " picked and each", null);
        }
        return new ChartPlan(
                true, false, "Total of the " + some, "of " + some, "pick " + MAX_LINES + " or fewer to see each");
    }
}
