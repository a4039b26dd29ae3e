package io.salesync.bench;

import io.salesync.bench.BenchOptions.Phase;
import io.salesync.bench.env.ProcStats;
import io.salesync.bench.phase.CatchupPhase;
import io.salesync.bench.phase.CeilingsPhase;
import io.salesync.bench.phase.LatencyPhase;
import io.salesync.bench.phase.RunContext;
import io.salesync.bench.phase.ScalePhase;
import io.salesync.bench.report.Figures;
import io.salesync.bench.report.Figures.Catchup;
import io.salesync.bench.report.Figures.Ceilings;
import io.salesync.bench.report.Figures.Latency;
import io.salesync.bench.report.Figures.Machine;
import io.salesync.bench.report.Figures.Scale;
import io.salesync.bench.report.Targets;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * One benchmark run: the phases the options name, in order (ceilings, catch-up for each branch
 * count, latency, scale), each in schemas and broker names of its own, then the targets of the
 * issue checked against what was measured.
 */
public final class Benchmark {

    /** Cores taken by the host in a window from which the run says so in its notes. */
    private static final double STOLEN_WORTH_NOTING = 0.05;

    private final BenchOptions options;
    private final Services services;
    private final Consumer<String> say;

    public Benchmark(BenchOptions options, Services services, Consumer<String> say) {
        this.options = options;
        this.services = services;
        this.say = say;
    }

    public Figures run() throws Exception {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        services.check(say);
        Machine machine = machine();
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        Path directory = options.root().resolve("target").resolve("bench").resolve(services.runId());
        Files.createDirectories(directory);
        RunContext context = new RunContext(
                services,
                options,
                directory,
                say,
                ProcStats.serverPids(
                        localPort(services.endpoints().mysqlUrl(), 3306),
                        localPort(services.endpoints().amqpUri().toString(), 5672)),
                notes);
        say.accept("run " + services.runId() + ": schemas bench_" + services.runId() + "_*, broker names bench-"
                + services.runId() + "-*, head office logs in " + directory);
        notes.add(
                "Branches publish as the broker user " + services.endpoints().amqpUser()
                        + ", which is also the head office's user;"
                        + " the head office accepts its own user's messages for any branch. The broker still checks every user_id.");

        Ceilings ceilings = options.runs(Phase.CEILINGS)
                ? attempt("ceilings", () -> new CeilingsPhase(context).run(), notes)
                : null;
        List<Catchup> catchups = null;
        if (options.runs(Phase.CATCHUP)) {
            catchups = new ArrayList<>();
            for (int i = 0; i < options.catchupBranches().size(); i++) {
                int branches = options.catchupBranches().get(i);
                int sales = options.catchupSales().get(i);
                Ceilings measured = ceilings;
                context.settle("catch-up of " + branches + " branches");
                Catchup catchup = attempt(
                        "catch-up of " + branches + " branches",
                        () -> new CatchupPhase(context).run(branches, sales, measured),
                        notes);
                if (catchup != null) {
                    catchups.add(catchup);
                }
            }
            if (catchups.isEmpty()) {
                catchups = null;
            }
        }
        Latency latency = null;
        if (options.runs(Phase.LATENCY)) {
            context.settle("latency");
            latency = attempt("latency", () -> new LatencyPhase(context).run(), notes);
        }
        Scale scale = null;
        if (options.runs(Phase.SCALE)) {
            context.settle("scale");
            scale = attempt("scale", () -> new ScalePhase(context).run(), notes);
        }

        double stolen = mostStolen(ceilings, catchups, latency, scale);
        if (stolen >= STOLEN_WORTH_NOTING) {
            notes.add(
                    "The host of this virtual machine took up to " + stolen + " cores from it in a measured window (the"
                            + " \"taken by the host\" figure of the CPU lines, the kernel's steal time): the figures of such a window"
                            + " are slower than this machine would be on its own.");
        }
        double seconds = Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0;
        double loadNow = ProcStats.loadAverage();
        if (loadNow > machine.cores()) {
            notes.add("The 1-minute load average was " + loadNow + " at the end on " + machine.cores()
                    + " cores. It counts the benchmark's own threads too; the \"other\" figure of each CPU line is what the"
                    + " rest of the machine took.");
        }
        return new Figures(
                "salesync bench",
                options.label(),
                started.truncatedTo(ChronoUnit.SECONDS).toString(),
                seconds,
                options.command(),
                options.smoke(),
                machine,
                ceilings,
                catchups,
                latency,
                scale,
                Targets.evaluate(machine.cores(), ceilings, catchups, latency, scale),
                List.copyOf(notes));
    }

    /** The most cores the host took from this machine in any measured window, 0 when unknown. */
    private static double mostStolen(Ceilings ceilings, List<Catchup> catchups, Latency latency, Scale scale) {
        List<Map<String, Double>> windows = new ArrayList<>();
        if (ceilings != null) {
            windows.add(ceilings.cpuCores());
        }
        if (catchups != null) {
            catchups.forEach(catchup -> windows.add(catchup.cpuCores()));
        }
        if (latency != null) {
            windows.add(latency.cpuCores());
        }
        if (scale != null) {
            scale.runs().forEach(run -> windows.add(run.cpuCores()));
        }
        return windows.stream()
                .filter(Objects::nonNull)
                .mapToDouble(cores -> cores.getOrDefault(ProcStats.STOLEN, 0.0))
                .max()
                .orElse(0);
    }

    /** A phase that may fail. */
    @FunctionalInterface
    private interface PhaseRun<T> {
        T run() throws Exception;
    }

    /** Runs a phase; a failure is noted (the report then lacks that phase) and the next phase runs. */
    private <T> T attempt(String phase, PhaseRun<T> run, List<String> notes) {
        try {
            return run.run();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LoggerFactory.getLogger(Benchmark.class).error("Phase {} failed", phase, e);
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            notes.add("FAILED: " + phase + ": " + reason);
            say.accept("FAILED: " + phase + ": " + reason);
            return null;
        }
    }

    /** The port of a server on this machine, or 0 when it is elsewhere (its process cannot be watched). */
    static int localPort(String url, int defaultPort) {
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
        String host = uri.getHost();
        boolean local = host == null
                || host.equals("localhost")
                || host.startsWith("127.")
                || host.equals("::1")
                || host.equals("[::1]");
        return !local ? 0 : uri.getPort() > 0 ? uri.getPort() : defaultPort;
    }

    private Machine machine() throws SQLException {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                memoryMib(),
                cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                services.variable("version"),
                services.brokerVersion(),
                Long.parseLong(services.variable("innodb_buffer_pool_size")) >> 20,
                services.variable("innodb_flush_log_at_trx_commit"),
                ProcStats.loadAverage());
    }

    private static long memoryMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
