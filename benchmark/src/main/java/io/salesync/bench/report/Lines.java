package io.salesync.bench.report;

import io.salesync.bench.env.ProcStats;
import io.salesync.bench.env.Verification.Outcome;
import io.salesync.bench.report.Figures.Catchup;
import io.salesync.bench.report.Figures.Ceilings;
import io.salesync.bench.report.Figures.Latency;
import io.salesync.bench.report.Figures.Memory;
import io.salesync.bench.report.Figures.Percentiles;
import io.salesync.bench.report.Figures.Rate;
import io.salesync.bench.report.Figures.Scale;
import io.salesync.bench.report.Figures.ScaleRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of a run as sections of (what, value) lines, which {@link TextReport} prints as a
 * table and {@link MarkdownReport} writes into docs/performance.md.
 */
public final class Lines {

    /** A titled list of lines. */
    public record Section(String title, List<Line> lines) {}

    public record Line(String what, String value) {}

    private Lines() {}

    public static List<Section> of(Figures figures) {
        List<Section> sections = new ArrayList<>();
        if (figures.ceilings() != null) {
            sections.add(ceilings(figures.ceilings()));
        }
        if (figures.catchup() != null) {
            figures.catchup().forEach(catchup -> sections.add(catchup(catchup)));
        }
        if (figures.latency() != null) {
            sections.add(latency(figures.latency()));
        }
        if (figures.scale() != null) {
            sections.add(scale(figures.scale()));
        }
        return sections;
    }

    static Section ceilings(Ceilings ceilings) {
        List<Line> lines = new ArrayList<>();
        var broker = ceilings.broker();
        lines.add(line(
                "broker: publish, persistent + mandatory + confirmed (no consumer)",
                rate(broker.publishConfirmed(), "msg")));
        lines.add(line("broker: drain that backlog, manual acks per 500", rate(broker.drain(), "msg")));
        lines.add(line("broker: publish and consume at once", rate(broker.publishAndConsume(), "msg")));
        lines.add(line(
                format("broker: publish to delivery at %,d msg/s", broker.latencyRate()),
                percentiles(broker.publishToDelivery())));
        lines.add(line(
                format("broker: publish to confirm at %,d msg/s", broker.latencyRate()),
                percentiles(broker.publishToConfirm())));
        lines.add(line("message size", broker.messageBytes() + " bytes (a real encoded change), quorum queue"));
        var mysql = ceilings.mysql();
        lines.add(line(
                "MySQL: plain batched upsert, " + mysql.batchRows() + " rows per transaction",
                rate(mysql.plainUpsert(), "rows")));
        lines.add(line("MySQL: the product's version-guarded upsert alone", rate(mysql.productUpsert(), "rows")));
        lines.add(line("MySQL: the product's whole apply transaction", rate(mysql.applier(), "rows")));
        if (mysql.plainUpsertFewerIndexes() != null) {
            lines.add(line(
                    format("MySQL: plain upsert without %d of the window's sort indexes", mysql.sortIndexesDropped()),
                    rate(mysql.plainUpsertFewerIndexes(), "rows")));
        }
        lines.add(line(
                format("MySQL: the whole transaction, %d changes per batch from one branch", mysql.spreadBatchRows()),
                rate(mysql.applierOneBranch(), "rows")));
        lines.add(line(
                format("MySQL: the same, one change from each of %d branches", mysql.spreadBranches()),
                rate(mysql.applierManyBranches(), "rows")
                        + format(
                                " (%.0f %% of one branch)",
                                100
                                        * mysql.applierManyBranches().perSecond()
                                        / mysql.applierOneBranch().perSecond())));
        lines.add(line("CPU while measuring (cores)", cores(ceilings.cpuCores())));
        return new Section("Ceilings of this machine", lines);
    }

    private static Section catchup(Catchup catchup) {
        List<Line> lines = new ArrayList<>();
        lines.add(line(
                "backlog",
                format(
                        "%,d changes per branch (%s), in %s",
                        catchup.changesPerBranch(), mix(catchup.mix()), catchup.backlog())));
        lines.add(line("writing it into the branch databases", rate(catchup.backlogWrite(), "changes")));
        lines.add(line("relays sending it to the broker, head office down", rate(catchup.relayToBroker(), "changes")));
        lines.add(line("head office process start to consuming", format("%,.0f ms", catchup.headOfficeStartMs())));
        lines.add(line("CATCH-UP: consuming to last change committed", rate(catchup.catchup(), "changes")));
        if (catchup.ratioToDrain() != null) {
            lines.add(line(
                    "  ratio to the broker's ceilings",
                    format(
                            "%.2f x drain, %.2f x publish-and-consume",
                            catchup.ratioToDrain(), catchup.ratioToPublishAndConsume())));
            lines.add(line(
                    "  ratio to MySQL's ceilings",
                    format(
                            "%.2f x plain upsert, %.2f x the product's apply transaction alone",
                            catchup.ratioToPlainUpsert(), catchup.ratioToApplier())));
        }
        lines.add(line("head office memory", memory(catchup.headOfficeMemory())));
        lines.add(line("peak RSS (MiB)", mib(catchup.peakRssMib())));
        lines.add(line("CPU while catching up (cores)", cores(catchup.cpuCores())));
        lines.add(line(
                "CPU per change (microseconds; steadier than rates on a busy machine)",
                perChange(catchup.cpuCores(), catchup.catchup())));
        lines.add(line("branches vs head office, row by row", outcome(catchup.verification())));
        return new Section(format("Catch-up, %d branches", catchup.branches()), lines);
    }

    private static Section latency(Latency latency) {
        List<Line> lines = new ArrayList<>();
        lines.add(line(
                "offered / achieved",
                format(
                        "%,.0f / %,.1f changes/s from %d branches x %d clerks for %d s (after %d s warm-up); %s",
                        latency.offeredPerSecond(),
                        latency.achievedPerSecond(),
                        latency.branches(),
                        latency.clerksPerBranch(),
                        latency.seconds(),
                        latency.warmupSeconds(),
                        mix(latency.mix()))));
        lines.add(line("LATENCY: branch commit to head-office commit", percentiles(latency.commitToApplied())));
        lines.add(line(
                "  of which branch commit to the message at the broker (one branch)",
                percentiles(latency.commitToBroker())));
        lines.add(line(
                "  and the message at the broker to head-office commit (one branch)",
                percentiles(latency.brokerToApplied())));
        lines.add(line(
                "  branch commit to broker confirm recorded (DB ms stamps)", percentiles(latency.commitToConfirmed())));
        lines.add(line("  outbox created_at to applied_at (DB ms stamps)", percentiles(latency.byTimestamps())));
        lines.add(line(
                "  precision",
                format(
                        "head office polled every %.0f ms, a poll takes %.2f ms",
                        latency.pollIntervalMs(), latency.meanPollMs())));
        lines.add(line("  clerks late against the schedule", percentiles(latency.clerksLate())));
        lines.add(line("head office memory", memory(latency.headOfficeMemory())));
        lines.add(line("peak RSS (MiB)", mib(latency.peakRssMib())));
        lines.add(line("CPU (cores)", cores(latency.cpuCores())));
        lines.add(line("CPU per change (microseconds)", perChange(latency.cpuCores(), latency.achievedPerSecond())));
        if (latency.contextSwitches() != null && latency.commitToApplied() != null) {
            lines.add(line(
                    "context switches per change (woken / preempted; the benchmark's clerks not counted)",
                    switchesPerChange(
                            latency.contextSwitches(), latency.commitToApplied().count())));
        }
        lines.add(line(
                "branches vs head office, row by row",
                outcome(latency.verification())
                        + (latency.failures() > 0 ? format("; %d clerk change(s) failed", latency.failures()) : "")));
        return new Section("Latency", lines);
    }

    private static Section scale(Scale scale) {
        List<Line> lines = new ArrayList<>();
        for (ScaleRun run : scale.runs()) {
            String what =
                    format("%d branches x %,d changes, relays start at once", run.branches(), run.changesPerBranch());
            lines.add(line(what, rate(run.endToEnd(), "changes")));
            lines.add(line("  head office memory", memory(run.headOfficeMemory())));
            lines.add(line("  peak RSS (MiB)", mib(run.peakRssMib())));
            lines.add(line("  CPU (cores)", cores(run.cpuCores())));
            lines.add(line("  CPU per change (microseconds)", perChange(run.cpuCores(), run.endToEnd())));
            if (run.running() != null) {
                lines.add(line(
                        format("then %,d more each, released at once, relays running", run.changesPerBranch()),
                        rate(run.running(), "changes")));
                lines.add(line("  CPU (cores)", cores(run.runningCpuCores())));
                lines.add(line("  CPU per change (microseconds)", perChange(run.runningCpuCores(), run.running())));
            }
            lines.add(line("  branches vs head office, row by row", outcome(run.verification())));
        }
        lines.add(line("many branches / two branches, relays starting", format("%.0f %%", scale.ratio() * 100)));
        lines.add(line("many branches / two branches, relays running", format("%.0f %%", scale.runningRatio() * 100)));
        return new Section("Fan-in", lines);
    }

    static String rate(Rate rate, String unit) {
        return format("%,.0f %s/s (%,d in %.2f s)", rate.perSecond(), unit, rate.changes(), rate.seconds());
    }

    static String percentiles(Percentiles p) {
        return p == null
                ? "-"
                : format(
                        "p50 %.1f, p95 %.1f, p99 %.1f, max %.1f ms (mean %.1f, n=%,d)",
                        p.p50(), p.p95(), p.p99(), p.max(), p.mean(), p.count());
    }

    static String memory(Memory memory) {
        var gc = memory.gc();
        if (gc.collections() == 0) {
            return format(
                    "-Xmx%s: no collection while measuring; RSS %d MiB%s",
                    memory.maxHeap(), memory.peakRssMib(), memory.outOfMemory() ? "; OUT OF MEMORY" : "");
        }
        return format(
                "-Xmx%s: heap after GC <= %d MiB, before GC <= %d MiB, committed <= %d MiB; %d GCs, %.0f ms paused; RSS %d MiB%s",
                memory.maxHeap(),
                gc.maxAfterGcMib(),
                gc.maxBeforeGcMib(),
                gc.maxCommittedMib(),
                gc.collections(),
                gc.pausesMs(),
                memory.peakRssMib(),
                memory.outOfMemory() ? "; OUT OF MEMORY" : "");
    }

    static String outcome(Outcome outcome) {
        if (outcome.nothingLost()) {
            return format(
                    "all %,d rows match at the head office; nothing dead-lettered or left queued",
                    outcome.branchRows());
        }
        return format(
                "MISMATCH: %,d rows at branches, %,d at the head office; %d missing, %d extra, %d differing, %d dead-lettered,"
                        + " %d left queued; %s",
                outcome.branchRows(),
                outcome.headOfficeRows(),
                outcome.missing(),
                outcome.extra(),
                outcome.differing(),
                outcome.deadLettered(),
                outcome.leftInQueue(),
                String.join("; ", outcome.examples()));
    }

    static String cores(Map<String, Double> cores) {
        return cores.entrySet().stream()
                .map(e -> e.getKey() + " " + format("%.2f", e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** CPU time each process spent per change: cores x seconds / changes. */
    static String perChange(Map<String, Double> cores, Rate rate) {
        return perChange(cores, rate.changes() / rate.seconds());
    }

    /** CPU time each process spent per change at a steady rate: cores / changes per second. */
    static String perChange(Map<String, Double> cores, double perSecond) {
        return cores.entrySet().stream()
                .filter(e -> !ProcStats.NOT_PROCESSES.contains(e.getKey()))
                .map(e -> e.getKey() + " " + format("%.0f", e.getValue() * 1e6 / perSecond))
                .collect(Collectors.joining(", "));
    }

    /** Context switches per change of each process measured. */
    static String switchesPerChange(Map<String, ProcStats.Switches> switches, double changes) {
        return switches.entrySet().stream()
                .map(e -> e.getKey() + " "
                        + format(
                                "%.1f / %.1f",
                                e.getValue().voluntary() / changes, e.getValue().involuntary() / changes))
                .collect(Collectors.joining(", "));
    }

    static String mib(Map<String, Long> mib) {
        return mib.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    static String mix(Map<String, Long> mix) {
        return format(
                "%,d inserts, %,d updates, %,d deletes", mix.get("inserts"), mix.get("updates"), mix.get("deletes"));
    }

    private static Line line(String what, String value) {
        return new Line(what, value);
    }

    static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
