package io.salesync.it.fault;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects the runs of the fault suite and writes them, after every run, to
 * {@code <report-dir>/fault-report.json} and {@code fault-report.md}; {@link #table()} is the text
 * table the suite prints at the end.
 */
final class FaultReport {

    private static final String[] HEADER = {
        "#",
        "scenario",
        "round",
        "changes",
        "faults",
        "lost",
        "dup",
        "differ",
        "summary off",
        "extra deliv.",
        "rows matched s",
        "status matched s",
        "checkpoint s",
        "run s",
        "verdict"
    };

    private final FaultSettings settings;
    private final Instant startedAt = Instant.now();
    private final List<RunReport> runs = new ArrayList<>();

    FaultReport(FaultSettings settings) {
        this.settings = settings;
    }

    synchronized void add(RunReport run) {
        runs.add(run);
        write();
    }

    synchronized List<RunReport> runs() {
        return List.copyOf(runs);
    }

    /** A fixed-width table of every run so far. */
    synchronized String table() {
        return ReportTable.text(HEADER, runs.stream().map(FaultReport::cells).toList());
    }

    private void write() {
        try {
            Files.createDirectories(settings.reportDir());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("startedAt", startedAt.toString());
            json.put("seed", settings.seed());
            json.put("settings", settings.describe());
            json.put("repeat", repeatCommand());
            json.put("runs", runs);
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(
                            settings.reportDir().resolve("fault-report.json").toFile(), json);
            Files.writeString(settings.reportDir().resolve("fault-report.md"), markdown());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fault report to " + settings.reportDir(), e);
        }
    }

    private String markdown() {
        StringBuilder md = new StringBuilder("# Fault suite report\n\n");
        md.append("Started ")
                .append(startedAt)
                .append(" with ")
                .append(settings.describe())
                .append(".\n");
        md.append("Repeat the same random choices with `")
                .append(repeatCommand())
                .append("`.\n\n");
        md.append(ReportTable.markdown(
                HEADER, runs.stream().map(FaultReport::cells).toList()));
        md.append("""

                Columns: *changes* the branches committed; *faults* injected; *lost* branch rows missing or at an \
                older version at the head office; *dup* head-office rows the branch never had plus sales the daily \
                summary counts beyond the branch's live sales (a change applied twice shows there); *differ* same \
                version, other content; *summary off* daily summary lines that differ from the branch's sums; \
                *extra deliv.* changes applied beyond those made (redeliveries and resends absorbed by the version \
                guard); the last three times run from the end of the last fault to a row-by-row match, to `status` \
                saying matched, and to a matched checkpoint requested from every branch after the rows matched.

                """);
        for (RunReport run : runs) {
            md.append("## ")
                    .append(run.scenario())
                    .append(". ")
                    .append(run.name())
                    .append(", round ")
                    .append(run.round())
                    .append(" (")
                    .append(run.verdict())
                    .append(")\n\n");
            md.append("- changes: ")
                    .append(run.creates())
                    .append(" creates, ")
                    .append(run.updates())
                    .append(" updates, ")
                    .append(run.deletes())
                    .append(" deletes\n");
            md.append("- faults: ").append(run.faultDetail()).append('\n');
            md.append("- dead-lettered: ")
                    .append(run.deadLettered())
                    .append(", rows compared: ")
                    .append(run.rowsCompared())
                    .append('\n');
            for (String note : run.notes()) {
                md.append("- ").append(note).append('\n');
            }
            for (String example : run.examples()) {
                md.append("- difference: ").append(example).append('\n');
            }
            md.append("- logs: `").append(run.runDirectory()).append("`\n\n");
        }
        return md.toString();
    }

    private String repeatCommand() {
        return "./mvnw -o -B -pl integration-tests -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dit.test=FaultSuiteIT -Dfailsafe.failIfNoSpecifiedTests=false -D" + FaultSettings.SEED + "="
                + settings.seed()
                + " -D" + FaultSettings.ROUNDS + "=" + settings.rounds() + " -D" + FaultSettings.RATE + "="
                + settings.rate()
                + " -D" + FaultSettings.MAX_FAULTS + "=" + settings.maxFaults() + " -D" + FaultSettings.BURST + "="
                + settings.burst()
                + " -D" + FaultSettings.LATE_START + "=" + settings.lateStart().toSeconds();
    }

    private static String[] cells(RunReport run) {
        return new String[] {
            String.valueOf(run.scenario()),
            run.name(),
            String.valueOf(run.round()),
            String.valueOf(run.changes()),
            String.valueOf(run.faults()),
            String.valueOf(run.lost()),
            String.valueOf(run.duplicates()),
            String.valueOf(run.differing()),
            String.valueOf(run.summaryLinesOff()),
            String.valueOf(run.extraDeliveries()),
            seconds(run.secondsToRowMatch(), "never"),
            seconds(run.secondsToStatusMatched(), "never"),
            seconds(run.secondsToCheckpointMatched(), "n/a"),
            String.format(Locale.ROOT, "%.1f", run.runSeconds()),
            run.verdict()
        };
    }

    private static String seconds(Double value, String none) {
        return value == null ? none : String.format(Locale.ROOT, "%.1f", value);
    }
}
