package io.salesync.headoffice.ui;

import io.salesync.desktop.ListTableModel;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.Verification;
import io.salesync.headoffice.service.HealthSummary;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The health panel's rows: every branch the head office knows, worst first, those whose id
 * contains the search text (any case). Event thread only.
 */
final class BranchHealthModel extends ListTableModel<BranchHealth> {

    private static final long serialVersionUID = 1L;
    static final String[] COLUMNS = {
        "Branch", "Status", "Last heard", "Complete to", "Verified", "Rows", "Refused", "Why"
    };
    static final int WHY = 7;

    private transient List<BranchHealth> all = List.of();
    private transient Instant now = Instant.now();
    private String search = "";

    BranchHealthModel() {
        super(COLUMNS);
    }

    /** Every branch, as read now. */
    void setAll(List<BranchHealth> branches, Instant at) {
        all = List.copyOf(branches);
        now = at;
        apply();
    }

    /** Shows only the branches whose id contains this text, ignoring case (blank: all). */
    void setSearch(String text) {
        search = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        apply();
    }

    List<BranchHealth> all() {
        return all;
    }

    Instant now() {
        return now;
    }

    boolean filtered() {
        return !search.isEmpty();
    }

    private void apply() {
        setRows(HealthSummary.worstFirst(all.stream()
                .filter(branch -> branch.branchId().contains(search))
                .toList()));
    }

    /** When the head office last heard from the branch: its latest heartbeat or applied change. */
    static Instant lastHeard(BranchHealth branch) {
        Instant heartbeat = branch.lastHeartbeatAt();
        Instant change = branch.lastAppliedAt();
        if (heartbeat == null) {
            return change;
        }
        return change == null || heartbeat.isAfter(change) ? heartbeat : change;
    }

    /** Every change of the branch up to this number has arrived. */
    static long completeTo(BranchHealth branch) {
        return branch.verification() == null
                ? branch.lastSeq()
                : branch.verification().contiguousSeq();
    }

    /** "matched 12:05", "diverged", "resync 40%", "gap", or "–" before the first checkpoint. */
    static String verified(BranchHealth branch) {
        Verification v = branch.verification();
        if (v == null) {
            return "–";
        }
        if (v.resync() != null && v.resync().running()) {
            return "resync " + v.resync().percent() + "%";
        }
        if (branch.gapReported()) {
            return "gap";
        }
        Verification.Checkpoint checkpoint = v.checkpoint();
        if (checkpoint == null) {
            return "–";
        }
        return (checkpoint.matched() ? "matched " : "diverged ") + Formats.time(checkpoint.evaluatedAt());
    }

    @Override
    protected Object valueAt(BranchHealth branch, int column) {
        return switch (column) {
            case 0 -> branch.branchId();
            case 1 -> branch;
            case 2 -> Formats.ago(lastHeard(branch), now);
            case 3 -> Formats.count(completeTo(branch));
            case 4 -> verified(branch);
            case 5 -> Formats.count(branch.rowsHeld());
            case 6 ->
                branch.openDeadLetters() == 0
                        ? Formats.count(branch.deadLettered())
                        : branch.openDeadLetters() == branch.deadLettered()
                                ? Formats.count(branch.openDeadLetters()) + " open"
                                : Formats.count(branch.openDeadLetters()) + " open / "
                                        + Formats.count(branch.deadLettered());
            default -> branch.why();
        };
    }
}
