package io.salesync.headoffice.service;

import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.Health;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What the health panel and {@code status} say about all branches at once: a one-line count per
 * state ("197 healthy, 2 silent, 1 diverged"), the branches worst first, and those that need
 * attention. Pure logic.
 */
public final class HealthSummary {

    /** Worst first (diverged, silent, lagging, healthy), then by branch id. */
    public static final Comparator<BranchHealth> WORST_FIRST = Comparator.<BranchHealth>comparingInt(
                    branch -> -HealthRules.severity(branch.health()))
            .thenComparing(BranchHealth::branchId);

    private HealthSummary() {}

    /** "197 healthy, 2 silent, 1 diverged": each state that has branches, in the order of {@link Health}. */
    public static String line(List<BranchHealth> branches) {
        if (branches.isEmpty()) {
            return "No branch heard of yet.";
        }
        Map<Health, Integer> counts = new EnumMap<>(Health.class);
        for (BranchHealth branch : branches) {
            counts.merge(branch.health(), 1, Integer::sum);
        }
        StringJoiner line = new StringJoiner(", ");
        counts.forEach((health, count) -> line.add(count + " " + health.label().toLowerCase(Locale.ROOT)));
        return line.toString();
    }

    /** The branches sorted worst first. */
    public static List<BranchHealth> worstFirst(List<BranchHealth> branches) {
        return branches.stream().sorted(WORST_FIRST).toList();
    }

    /** Only the branches that need attention, worst first. */
    public static List<BranchHealth> problems(List<BranchHealth> branches) {
        return branches.stream()
                .filter(branch -> HealthRules.needsAttention(branch.health()))
                .sorted(WORST_FIRST)
                .toList();
    }
}
