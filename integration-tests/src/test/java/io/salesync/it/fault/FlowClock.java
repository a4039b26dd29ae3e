package io.salesync.it.fault;

import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Times a failover: from the fault until sync flows again, that is until the head office holds, for
 * every branch, a change the branch committed after the fault (its highest applied sequence number
 * passed the branch's highest committed one at the fault). Polls every 20 ms.
 */
final class FlowClock {

    /** The time to flow again, null when it never did; and when each branch flowed again, in seconds. */
    record Flow(Double seconds, Map<String, Double> perBranch) {

        String describe(FailoverRig rig) {
            return perBranch.entrySet().stream()
                    .map(branch -> rig.shortName(branch.getKey()) + " "
                            + (branch.getValue() == null
                                    ? "never"
                                    : String.format(Locale.ROOT, "%.2f s", branch.getValue())))
                    .collect(Collectors.joining(", "));
        }
    }

    private FlowClock() {}

    static Flow measure(FailoverRig rig, long faultNanos, Map<String, Long> committedAtFault, Duration timeout)
            throws SQLException, InterruptedException {
        Map<String, Double> flowed = new LinkedHashMap<>();
        committedAtFault.keySet().forEach(branch -> flowed.put(branch, null));
        long deadline = faultNanos + timeout.toNanos();
        while (flowed.containsValue(null) && System.nanoTime() < deadline) {
            for (Map.Entry<String, Long> branch : committedAtFault.entrySet()) {
                if (flowed.get(branch.getKey()) == null && appliedSeq(rig, branch.getKey()) > branch.getValue()) {
                    flowed.put(branch.getKey(), (System.nanoTime() - faultNanos) / 1e9);
                }
            }
            Thread.sleep(20);
        }
        Double seconds = flowed.containsValue(null)
                ? null
                : flowed.values().stream()
                        .mapToDouble(Double::doubleValue)
                        .max()
                        .orElse(0);
        return new Flow(seconds, flowed);
    }

    /** The head office's highest applied number of the branch; 0 before its first start created its tables. */
    private static long appliedSeq(FailoverRig rig, String branchId) throws SQLException {
        try {
            return rig.inspect().appliedSeq(branchId);
        } catch (SQLSyntaxErrorException noTableYet) {
            return 0;
        }
    }
}
