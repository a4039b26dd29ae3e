package io.salesync.it.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The runs of the failover suite, written after every run to {@code <report-dir>/failover-report.md};
 * {@link #table()} is the text table the suite prints at the end.
 */
final class FailoverReport {

    /**
     * One run of one scenario.
     *
     * @param secondsToFlow     from the fault to the moment the head office held, for every branch, a
     *                          change the branch committed after the fault; null if that never came
     * @param extraApplied      changes the head office applied beyond those the branches made: a change
     *                          applied twice would count here (must be 0)
     * @param gapsReported      requests to resend that the head office sent because a gap stayed open
     *                          longer than {@link FailoverRig#GAP_REPORT_SECONDS}, plus gaps still open at
     *                          the end
     * @param secondsToRowMatch from the end of the fault to the row-by-row match of every branch
     */
    record Run(
            int scenario,
            String name,
            int round,
            long changes,
            long rowsCompared,
            long lost,
            long duplicates,
            long differing,
            long summaryLinesOff,
            long extraApplied,
            long gapsReported,
            Double secondsToFlow,
            Double secondsToRowMatch,
            double runSeconds,
            List<String> notes,
            List<String> examples,
            String runDirectory) {

        boolean clean() {
            return lost == 0
                    && duplicates == 0
                    && differing == 0
                    && summaryLinesOff == 0
                    && extraApplied == 0
                    && secondsToFlow != null
                    && secondsToRowMatch != null;
        }
    }

    private static final String[] HEADER = {
        "#",
        "scenario",
        "round",
        "changes",
        "rows",
        "lost",
        "dup",
        "differ",
        "summary off",
        "applied twice",
        "gaps reported",
        "fault to flow s",
        "rows matched s",
        "run s",
        "verdict"
    };

    private final FaultSettings settings;
    private final List<Run> runs = new ArrayList<>();

    FailoverReport(FaultSettings settings) {
        this.settings = settings;
    }

    synchronized void add(Run run) {
        runs.add(run);
        write();
    }

    synchronized boolean isEmpty() {
        return runs.isEmpty();
    }

    synchronized String table() {
        return ReportTable.text(HEADER, runs.stream().map(FailoverReport::cells).toList());
    }

    private void write() {
        StringBuilder md = new StringBuilder("# Failover suite report\n\n");
        md.append("Settings: `").append(settings.describe()).append("`\n\n");
        md.append(ReportTable.markdown(
                HEADER, runs.stream().map(FailoverReport::cells).toList()));
        for (Run run : runs) {
            md.append("\n## ")
                    .append(run.scenario())
                    .append(". ")
                    .append(run.name())
                    .append(", round ")
                    .append(run.round())
                    .append("\n\n");
            run.notes().forEach(note -> md.append("- ").append(note).append('\n'));
            run.examples()
                    .forEach(example ->
                            md.append("- difference: ").append(example).append('\n'));
            md.append("- logs: `").append(run.runDirectory()).append("`\n");
        }
        try {
            Files.createDirectories(settings.reportDir());
            Files.writeString(settings.reportDir().resolve("failover-report.md"), md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the failover report to " + settings.reportDir(), e);
        }
    }

    private static String[] cells(Run run) {
        return new String[] {
            String.valueOf(run.scenario()),
            run.name(),
            String.valueOf(run.round()),
            String.valueOf(run.changes()),
            String.valueOf(run.rowsCompared()),
            String.valueOf(run.lost()),
            String.valueOf(run.duplicates()),
            String.valueOf(run.differing()),
            String.valueOf(run.summaryLinesOff()),
            String.valueOf(run.extraApplied()),
            String.valueOf(run.gapsReported()),
            seconds(run.secondsToFlow()),
            seconds(run.secondsToRowMatch()),
            String.format(Locale.ROOT, "%.1f", run.runSeconds()),
            run.clean() ? "pass" : "FAIL"
        };
    }

    private static String seconds(Double value) {
        return value == null ? "never" : String.format(Locale.ROOT, "%.2f", value);
    }
}
