package io.salesync.it.fault;

import java.util.List;

/**
 * What one run of one scenario did and found.
 *
 * @param changes                    changes the branches committed (creates + updates + deletes)
 * @param faults                     faults injected (kills, stops, cut connections, injected messages ...)
 * @param extraDeliveries            changes the head office applied beyond those made: redeliveries and
 *                                   resends it absorbed (its {@code applied_changes} minus {@code changes})
 * @param deadLettered               messages of this run in the dead-letter log or queue
 * @param rowsCompared               branch rows compared with the head office
 * @param lost                       branch rows missing at the head office or at an older version there (must be 0)
 * @param duplicates                 head-office rows the branch never had, plus sales the daily summary counts
 *                                   beyond the branch's live sales, where a change applied twice shows (must be 0)
 * @param differing                  rows with the same version but other content (must be 0)
 * @param summaryLinesOff            daily summary lines that differ from the branch's sums (must be 0)
 * @param secondsToRowMatch          from the end of the last fault to the first row-by-row match; null if none
 * @param secondsToStatusMatched     from the end of the last fault to {@code status} saying matched for every branch
 * @param secondsToCheckpointMatched from the end of the last fault to a matched checkpoint verdict; null until the
 *                                   product sends checkpoints
 * @param verdict                    pass, FAIL, or pending (a step the product cannot do yet)
 */
record RunReport(
        int scenario,
        String name,
        int round,
        long seed,
        long changes,
        long creates,
        long updates,
        long deletes,
        int faults,
        String faultDetail,
        long extraDeliveries,
        long deadLettered,
        long rowsCompared,
        long lost,
        long duplicates,
        long differing,
        long summaryLinesOff,
        Double secondsToRowMatch,
        Double secondsToStatusMatched,
        Double secondsToCheckpointMatched,
        double runSeconds,
        String verdict,
        List<String> notes,
        List<String> examples,
        String runDirectory) {

    boolean clean() {
        return lost == 0 && duplicates == 0 && differing == 0 && summaryLinesOff == 0 && secondsToRowMatch != null;
    }
}
