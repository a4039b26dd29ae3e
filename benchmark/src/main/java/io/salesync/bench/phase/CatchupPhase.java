package io.salesync.bench.phase;

import io.salesync.bench.env.HeadOfficeProcess;
import io.salesync.bench.env.ProcStats;
import io.salesync.bench.env.ProgressWatch;
import io.salesync.bench.env.Scenario;
import io.salesync.bench.env.Verification;
import io.salesync.bench.report.Figures.Catchup;
import io.salesync.bench.report.Figures.Ceilings;
import io.salesync.bench.report.Figures.Memory;
import io.salesync.bench.report.Figures.Rate;
import io.salesync.bench.workload.BacklogWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Catch-up after the head office was down: the branches keep working and their relays keep
 * sending, so when the head office comes back its whole backlog waits in its queue. In order:
 *
 * <ol>
 *   <li>write the backlog into every branch's database (sale and outbox rows);</li>
 *   <li>start the relays with the head office down: they send everything to the queue (timed:
 *       the relays' own rate, outbox to broker);</li>
 *   <li>start the head office process: the catch-up timer starts when its consumer subscribes
 *       and stops when its database holds the last change of every branch.</li>
 * </ol>
 */
public final class CatchupPhase {

    private static final int BRANCH_POOL_SIZE = 4;
    private static final int WRITER_THREADS = 2;

    private final RunContext context;

    public CatchupPhase(RunContext context) {
        this.context = context;
    }

    /** @param ceilings the same run's ceilings, or null when they were not measured */
    public Catchup run(int branchCount, int perBranch, Ceilings ceilings) throws Exception {
        long total = (long) branchCount * perBranch;
        String name = "c" + branchCount;
        try (Scenario scenario = new Scenario(
                context.services(),
                context.options(),
                name,
                branchCount,
                BRANCH_POOL_SIZE,
                context.directory(),
                context.say())) {
            say("catch-up %d branches: creating %d schemas ...", branchCount, branchCount + 1);
            scenario.createSchemas();
            scenario.openBranches();

            say("catch-up %d branches: writing %,d changes per branch ...", branchCount, perBranch);
            long start = System.nanoTime();
            List<BacklogWriter.Written> written = scenario.writeBacklogs(perBranch, WRITER_THREADS);
            Rate backlogWrite = Rate.of(total, System.nanoTime() - start);

            say("catch-up %d branches: relays sending %,d changes with the head office down ...", branchCount, total);
            start = System.nanoTime();
            scenario.startRelays();
            Duration timeout = Duration.ofSeconds(Math.max(120, total / 200));
            long queuedAt = awaitQueued(scenario, total, timeout);
            Rate relayToBroker = Rate.of(total, queuedAt - start);
            awaitOutboxesConfirmed(scenario, timeout);
            Map<String, Long> targets = scenario.lastSeqs();
            // the backlog and the relays' marks are still being written back: not the head office's work
            context.settle("the head office of " + branchCount + " branches starts", Duration.ofSeconds(30));

            say(
                    "catch-up %d branches: head office started on a queue of %,d ...",
                    branchCount, scenario.queueState()[0]);
            try (ProgressWatch watch = scenario.watch(Duration.ofMillis(10))) {
                HeadOfficeProcess headOffice = scenario.startHeadOffice();
                long subscribed = scenario.awaitConsumer(Duration.ofSeconds(120));
                Map<String, Long> pids = new LinkedHashMap<>(context.serverPids());
                pids.put("head office", headOffice.pid());
                ProcStats.CpuWindow cpu = ProcStats.CpuWindow.start(pids);
                int gcFrom = headOffice.gcLogLines();
                Rate catchup;
                Map<String, Double> cores;
                Map<String, Long> rss;
                try (ProcStats.RssSampler sampler = new ProcStats.RssSampler(pids)) {
                    long done = watch.awaitReached(targets, timeout, headOffice::requireAlive);
                    if (done < 0) {
                        throw new IllegalStateException(
                                "catch-up of " + branchCount + " branches not finished within " + timeout.toSeconds()
                                        + " s: " + watch.totalApplied() + " of " + total + " changes applied");
                    }
                    catchup = Rate.of(total, done - subscribed);
                    cores = cpu.stop();
                    rss = sampler.peaksMib();
                }
                Memory memory = new Memory(
                        "head office",
                        rss.getOrDefault("head office", -1L),
                        headOffice.heap(),
                        headOffice.gcSince(gcFrom),
                        headOffice.ranOutOfMemory());
                say(
                        "catch-up %d branches: %,.0f changes/s; verifying row by row ...",
                        branchCount, catchup.perSecond());
                Verification.Outcome verification = scenario.verify();
                return new Catchup(
                        branchCount,
                        perBranch,
                        mix(written),
                        "the head office's queue (the relays had sent everything while it was down)",
                        backlogWrite,
                        relayToBroker,
                        Math.round((subscribed - headOffice.startedNanos()) / 1e5) / 10.0,
                        catchup,
                        ceilings == null
                                ? null
                                : ratio(catchup, ceilings.broker().drain()),
                        ceilings == null
                                ? null
                                : ratio(catchup, ceilings.broker().publishAndConsume()),
                        ceilings == null
                                ? null
                                : ratio(catchup, ceilings.mysql().plainUpsert()),
                        ceilings == null
                                ? null
                                : ratio(catchup, ceilings.mysql().applier()),
                        memory,
                        rss,
                        cores,
                        verification);
            }
        }
    }

    static Map<String, Long> mix(List<BacklogWriter.Written> written) {
        Map<String, Long> mix = new LinkedHashMap<>();
        mix.put(
                "inserts",
                written.stream().mapToLong(BacklogWriter.Written::inserts).sum());
        mix.put(
                "updates",
                written.stream().mapToLong(BacklogWriter.Written::updates).sum());
        mix.put(
                "deletes",
                written.stream().mapToLong(BacklogWriter.Written::deletes).sum());
        return mix;
    }

    static double ratio(Rate measured, Rate ceiling) {
        return Math.round(measured.perSecond() / ceiling.perSecond() * 1000) / 1000.0;
    }

    /** Waits until the queue holds {@code total} messages; returns that moment. */
    private static long awaitQueued(Scenario scenario, long total, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (scenario.queueState()[0] >= total) {
                return System.nanoTime();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the relays did not queue " + total + " changes within " + timeout.toSeconds()
                + " s (queued " + scenario.queueState()[0] + ", outbox backlog " + scenario.outboxBacklog() + ")");
    }

    /** Waits until every outbox row is marked confirmed, so that no relay sends anything more. */
    static void awaitOutboxesConfirmed(Scenario scenario, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (scenario.outboxBacklog() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("outboxes still hold " + scenario.outboxBacklog()
                        + " unconfirmed changes after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    private void say(String format, Object... args) {
        context.say().accept(String.format(Locale.ROOT, format, args));
    }
}
