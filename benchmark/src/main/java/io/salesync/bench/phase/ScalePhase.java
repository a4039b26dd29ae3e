package io.salesync.bench.phase;

import io.salesync.bench.env.HeadOfficeProcess;
import io.salesync.bench.env.ProcStats;
import io.salesync.bench.env.ProgressWatch;
import io.salesync.bench.env.Scenario;
import io.salesync.bench.report.Figures.Memory;
import io.salesync.bench.report.Figures.Rate;
import io.salesync.bench.report.Figures.Scale;
import io.salesync.bench.report.Figures.ScaleRun;
import io.salesync.bench.workload.BacklogWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fan-in: the same number of changes from two branches, then from many, against a running head
 * office, measured twice. First every relay starts at once (a chain's morning, or every branch
 * back after an outage): the rate is from starting the relays, connections and declarations
 * included, to the head office holding the last change of every branch. Then, with the relays
 * running, as many changes again appear in every branch at one moment (each branch's backlog is
 * written in a transaction held open, and all are committed together): the rate of branches that
 * are up and publishing at once. Nothing may be lost.
 *
 * <p>With many branches in one MySQL server each branch's pool is kept to
 * {@value #MANY_POOL_SIZE} connections (the relay's lock holds one), plus one of its transaction
 * pool for the relay's marks and one holding its second backlog; at 100 branches the run needs
 * more than MariaDB's default of 151 connections, see {@link #ensureConnections}.
 */
public final class ScalePhase {

    private static final int MANY_POOL_SIZE = 2;
    private static final int WRITER_THREADS = 2;
    private static final Duration RELAY_START_SETTLE = Duration.ofSeconds(30);

    private final RunContext context;

    public ScalePhase(RunContext context) {
        this.context = context;
    }

    public Scale run() throws Exception {
        List<ScaleRun> runs = new ArrayList<>();
        int many = context.options().scaleBranches();
        for (int branchCount : many == 2 ? List.of(2) : List.of(2, many)) {
            runs.add(runOnce(branchCount));
        }
        ScaleRun two = runs.get(0);
        ScaleRun last = runs.get(runs.size() - 1);
        double ratio = last.endToEnd().perSecond() / two.endToEnd().perSecond();
        double runningRatio = last.running().perSecond() / two.running().perSecond();
        return new Scale(runs, Math.round(ratio * 1000) / 1000.0, Math.round(runningRatio * 1000) / 1000.0);
    }

    private ScaleRun runOnce(int branchCount) throws Exception {
        int perBranch = context.options().scaleChanges() / branchCount;
        long total = (long) perBranch * branchCount;
        int poolSize = branchCount > 20 ? MANY_POOL_SIZE : 4;
        // Each branch: its pool, one connection of its transaction pool for the relay's marks, and one
        // holding its second backlog until all are released.
        Long restore = ensureConnections(branchCount * (poolSize + 2) + 30);
        try (Scenario scenario = new Scenario(
                context.services(),
                context.options(),
                "s" + branchCount,
                branchCount,
                poolSize,
                context.directory(),
                context.say())) {
            say("scale %d branches: creating %d schemas ...", branchCount, branchCount + 1);
            scenario.createSchemas();
            HeadOfficeProcess headOffice = scenario.startHeadOffice();
            scenario.openBranches();
            scenario.awaitConsumer(Duration.ofSeconds(120));
            say("scale %d branches: writing %,d changes per branch ...", branchCount, perBranch);
            scenario.writeBacklogs(perBranch, WRITER_THREADS);
            Map<String, Long> targets = scenario.lastSeqs();
            // the backlog just written is still being written back; with a hundred branch schemas open,
            // MySQL keeps a few percent of its pages dirty, so the wait is bounded
            context.settle("the relays of " + branchCount + " branches start", RELAY_START_SETTLE);
            Map<String, Long> pids = new LinkedHashMap<>(context.serverPids());
            pids.put("head office", headOffice.pid());
            say("scale %d branches: all relays start at once ...", branchCount);
            try (ProgressWatch watch = scenario.watch(Duration.ofMillis(10));
                    ProcStats.RssSampler sampler = new ProcStats.RssSampler(pids)) {
                ProcStats.CpuWindow cpu = ProcStats.CpuWindow.start(pids);
                int gcFrom = headOffice.gcLogLines();
                long start = System.nanoTime();
                scenario.startRelays();
                Duration timeout = Duration.ofSeconds(Math.max(120, total / 200));
                long done = watch.awaitReached(targets, timeout, headOffice::requireAlive);
                if (done < 0) {
                    throw new IllegalStateException(
                            "scale run of " + branchCount + " branches not finished within " + timeout.toSeconds()
                                    + " s: " + watch.totalApplied() + " of " + total + " changes applied");
                }
                Rate rate = Rate.of(total, done - start);
                Map<String, Double> cores = cpu.stop();
                Map<String, Long> rss = sampler.peaksMib();
                Memory memory = new Memory(
                        "head office",
                        rss.getOrDefault("head office", -1L),
                        headOffice.heap(),
                        headOffice.gcSince(gcFrom),
                        headOffice.ranOutOfMemory());
                say("scale %d branches, relays starting: %,.0f changes/s", branchCount, rate.perSecond());
                CatchupPhase.awaitOutboxesConfirmed(scenario, timeout);
                Running running = releaseIntoRunningRelays(scenario, perBranch, branchCount, pids, timeout);
                say(
                        "scale %d branches, relays running: %,.0f changes/s; verifying row by row ...",
                        branchCount, running.rate().perSecond());
                CatchupPhase.awaitOutboxesConfirmed(scenario, timeout);
                return new ScaleRun(
                        branchCount,
                        perBranch,
                        rate,
                        memory,
                        rss,
                        cores,
                        running.rate(),
                        running.cores(),
                        scenario.verify());
            }
        } finally {
            if (restore != null) {
                context.services().setGlobal("max_connections", restore);
                say("MySQL max_connections set back to %d", restore);
            }
        }
    }

    private record Running(Rate rate, Map<String, Double> cores) {}

    /**
     * With the relays running and idle, writes {@code perBranch} more changes into every branch in
     * transactions held open, then commits them all and times from the first commit to the head
     * office holding the last change of every branch.
     */
    private Running releaseIntoRunningRelays(
            Scenario scenario, int perBranch, int branchCount, Map<String, Long> pids, Duration timeout)
            throws Exception {
        say(
                "scale %d branches: writing %,d more changes per branch, held until all are written ...",
                branchCount, perBranch);
        List<BacklogWriter.Held> held = scenario.holdBacklogs(perBranch, WRITER_THREADS, 2_000_000L);
        try {
            Map<String, Long> targets = new LinkedHashMap<>();
            held.forEach(backlog -> targets.put(backlog.branchId(), backlog.lastSeq()));
            context.settle("the backlogs of " + branchCount + " running branches are released", RELAY_START_SETTLE);
            say("scale %d branches: releasing every backlog at once ...", branchCount);
            try (ProgressWatch watch = scenario.watch(Duration.ofMillis(10))) {
                ProcStats.CpuWindow cpu = ProcStats.CpuWindow.start(pids);
                long start = System.nanoTime();
                for (BacklogWriter.Held backlog : held) {
                    backlog.commit();
                }
                long done = watch.awaitReached(targets, timeout, scenario.headOffice()::requireAlive);
                if (done < 0) {
                    throw new IllegalStateException("scale run of " + branchCount + " running branches not finished"
                            + " within " + timeout.toSeconds() + " s: " + watch.totalApplied() + " changes applied");
                }
                return new Running(Rate.of((long) perBranch * branchCount, done - start), cpu.stop());
            }
        } finally {
            BacklogWriter.Held.closeAll(held);
        }
    }

    /**
     * Makes sure MySQL accepts {@code needed} more connections than are open now. Raises
     * {@code max_connections} only when allowed by {@code --raise-max-connections}; returns the value
     * to restore, or null.
     */
    private Long ensureConnections(int needed) throws SQLException {
        long max = Long.parseLong(context.services().variable("max_connections"));
        long open;
        try (var connection = context.services().mysql();
                var statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST")) {
            rs.next();
            open = rs.getLong(1);
        }
        if (open + needed <= max) {
            return null;
        }
        long wanted = open + needed + 50;
        if (!context.options().raiseMaxConnections()) {
            throw new IllegalStateException("the scale phase needs about " + needed
                    + " more MySQL connections, and max_connections is "
                    + max + " with " + open + " open: run with --raise-max-connections (it sets max_connections to "
                    + wanted
                    + " for the run and back afterwards; needs an admin), or SET GLOBAL max_connections = " + wanted
                    + ", or use fewer --scale-branches");
        }
        context.services().setGlobal("max_connections", wanted);
        context.notes()
                .add("MySQL max_connections was raised from " + max + " to " + wanted + " for the scale phase: all "
                        + context.options().scaleBranches()
                        + " branch databases share one server here, where each branch would have its own");
        say("MySQL max_connections raised from %d to %d for this phase", max, wanted);
        return max;
    }

    private void say(String format, Object... args) {
        context.say().accept(String.format(Locale.ROOT, format, args));
    }
}
