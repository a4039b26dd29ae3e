package io.salesync.headoffice.cli;

import io.salesync.common.db.Databases;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.HeadOfficeProcess;
import io.salesync.headoffice.model.Health;
import io.salesync.headoffice.model.RegisteredBranch;
import io.salesync.headoffice.model.Verification;
import io.salesync.headoffice.service.HealthSummary;
import io.salesync.headoffice.service.SyncStatus;
import io.salesync.headoffice.service.SyncStatus.BranchReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code status}: a one-line health summary of every branch the head office knows, every configured
 * branch compared with the head office, what the head office knows of gaps, checkpoints and
 * resyncs, and which head-office process consumes. Exit status 0 only when every branch matches.
 * {@code status --problems}: the summary and the branches that need attention only, from the head
 * office's database alone; exit status 0 when none does.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Compares every configured branch with the head office; exit status 0 when all match.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(
            names = "--config-dir",
            paramLabel = "DIR",
            description =
                    "where the branches' configuration files are (default: the directory of the head office's file)")
    Path configDir;

    @Option(names = "--branch", paramLabel = "ID", description = "only this branch")
    String branch;

    @Option(
            names = "--problems",
            description = "print only the one-line health summary and the branches that need attention"
                    + " (silent, lagging, diverged); exit status 0 when none does")
    boolean problemsOnly;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HeadOfficeConfig headOfficeConfig = config.load();
        Path file = config.file();
        Path directory = configDir != null
                ? configDir
                : file != null && file.toAbsolutePath().getParent() != null
                        ? file.toAbsolutePath().getParent()
                        : Path.of("config");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (HeadOffice headOffice = HeadOffice.open(headOfficeConfig, status -> {})) {
            Map<String, RegisteredBranch> registered = headOffice.registry().all();
            if (branch != null) {
                KnownBranches.require(headOffice.registry(), directory, branch);
            }
            List<BranchHealth> health = headOffice.services().health().branches().stream()
                    .filter(h -> branch == null || branch.equals(h.branchId()))
                    .toList();
            if (problemsOnly) {
                return printHealth(out, health, true) ? 0 : 1;
            }
            printHealth(out, health, false);
            List<BranchReport> reports = new SyncStatus(headOffice.repository())
                    .report(directory).stream()
                            .filter(r -> branch == null || branch.equals(r.branchId()))
                            .toList();
            if (reports.isEmpty() && branch == null) {
                err.println("salesync: no branch configuration files (branch-<id>.properties) in "
                        + directory.toAbsolutePath());
                return 1;
            }
            out.printf(
                    "%-8s %12s %12s %10s %10s %10s  %s%n",
                    "BRANCH", "AT BRANCH", "AT HO", "BACKLOG", "LAST SEQ", "APPLIED", "STATE");
            for (BranchReport report : reports) {
                RegisteredBranch entry = registered.get(report.branchId());
                String closed = entry != null && entry.closed() ? Health.CLOSED.label() + "; " : "";
                out.printf(
                        "%-8s %12s %12s %10s %10s %10d  %s%n",
                        report.branchId(),
                        report.atBranch() == null
                                ? "?"
                                : String.valueOf(report.atBranch().liveRows()),
                        report.atHeadOffice().liveRows(),
                        report.backlog() < 0 ? "?" : String.valueOf(report.backlog()),
                        report.branchLastSeq() < 0 ? "?" : String.valueOf(report.branchLastSeq()),
                        report.appliedSeq(),
                        closed + report.verdict() + (report.problem() == null ? "" : ": " + report.problem()));
            }
            printClosed(out, registered, reports);
            printVerification(
                    out,
                    headOffice.verification().verifications().stream()
                            .filter(v -> branch == null || branch.equals(v.branchId()))
                            .toList(),
                    headOfficeConfig.gapReportAfter());
            Instant now = Instant.now();
            out.println();
            out.println("Head office: "
                    + HeadOfficeProcess.summary(
                            headOffice.processes().seenSince(now.minus(HeadOfficeProcess.SEEN_WITHIN)), now));
            // a closed branch no longer counts: its sales stay at the head office, nothing more is expected
            return reports.stream()
                            .filter(r -> !(registered.containsKey(r.branchId())
                                    && registered.get(r.branchId()).closed()))
                            .allMatch(BranchReport::matched)
                    ? 0
                    : 1;
        } catch (SQLException e) {
            err.println("salesync: " + Databases.unreachableMessage(headOfficeConfig.database(), e));
            return 1;
        }
    }

    /** Closed branches the table above does not show (their files were set aside by remove-branch). */
    private void printClosed(PrintWriter out, Map<String, RegisteredBranch> registered, List<BranchReport> reports) {
        DateTimeFormatter time =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
        for (RegisteredBranch entry : registered.values()) {
            boolean shown = reports.stream().anyMatch(r -> r.branchId().equals(entry.branchId()));
            if (entry.closed() && !shown && (branch == null || branch.equals(entry.branchId()))) {
                out.printf(
                        "%-8s %12s %12s %10s %10s %10s  %s%n",
                        entry.branchId(),
                        "-",
                        "-",
                        "-",
                        "-",
                        "-",
                        Health.CLOSED.label() + " " + time.format(entry.closedAt())
                                + "; its sales stay at the head office");
            }
        }
    }

    /**
     * The health summary line ("Branches: 197 healthy, 2 silent, 1 diverged") and, with
     * {@code problems}, one line per branch that needs attention, worst first.
     *
     * @return whether no branch needs attention
     */
    static boolean printHealth(PrintWriter out, List<BranchHealth> branches, boolean problems) {
        out.println("Branches: " + HealthSummary.line(branches));
        List<BranchHealth> attention = HealthSummary.problems(branches);
        if (problems && !attention.isEmpty()) {
            out.printf("%-32s %-9s  %s%n", "BRANCH", "STATE", "WHY");
            for (BranchHealth branch : attention) {
                out.printf(
                        "%-32s %-9s  %s%n", branch.branchId(), branch.health().label(), branch.why());
            }
        }
        if (!problems) {
            out.println();
        }
        return attention.isEmpty();
    }

    /** What the head office itself knows: gaps, the latest checkpoint verdict, the latest resync. */
    private static void printVerification(PrintWriter out, List<Verification> verifications, Duration gapReportAfter) {
        if (verifications.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        DateTimeFormatter time =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
        out.println();
        out.printf("%-8s %10s  %-40s  %s%n", "BRANCH", "COMPLETE TO", "CHECKPOINT", "GAP / RESYNC");
        for (Verification v : verifications) {
            Verification.Checkpoint c = v.checkpoint();
            String checkpoint = c == null
                    ? "none yet"
                    : "no. " + c.seq() + " of " + time.format(c.takenAt()) + " "
                            + (c.matched() ? "matched" : "DIVERGED");
            StringBuilder notes = new StringBuilder();
            if (v.hasGap()) {
                notes.append(v.gapReported(now, gapReportAfter) ? "GAP: " : "waiting: ")
                        .append("changes from no. ")
                        .append(v.firstMissing())
                        .append(" missing since ")
                        .append(time.format(v.gapSince()));
            }
            Verification.Resync r = v.resync();
            if (r != null) {
                if (!notes.isEmpty()) {
                    notes.append("; ");
                }
                notes.append(
                        r.running()
                                ? "resync running " + r.percent() + "% (" + r.applied() + " of " + r.rows() + ")"
                                : "last resync " + time.format(r.finishedAt()) + ", " + r.removed()
                                        + " row(s) removed");
            }
            out.printf(
                    "%-8s %10d  %-40s  %s%n",
                    v.branchId(), v.contiguousSeq(), checkpoint, notes.isEmpty() ? "-" : notes);
            if (c != null && !c.matched()) {
                out.printf("%-8s %10s  %s%n", "", "", c.verdict());
            }
        }
    }
}
