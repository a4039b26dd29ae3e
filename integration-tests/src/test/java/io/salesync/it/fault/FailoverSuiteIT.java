package io.salesync.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.common.testing.PrivateRabbitCluster;
import io.salesync.common.testing.TestServices;
import io.salesync.it.fault.ClusterView.QueueConsumer;
import io.salesync.it.fault.FlowClock.Flow;
import io.salesync.it.fault.RowComparator.Comparison;
import io.salesync.it.fault.RunInspector.Convergence;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Survives the loss of any one machine (issue 20): a 3-node RabbitMQ cluster of the suite's own
 * ({@code scripts/local-rabbitmq-cluster.sh} on base port {@value #BASE_PORT}), two head-office
 * processes on the queue (one active, one standing by) and two branches, all real processes; while
 * both branches write, one fault: a node killed, the active head office killed or frozen, or both
 * head offices started at once. Each run ends with every branch compared with the head office row
 * by row, and measures the time from the fault until sync flows again ({@link FlowClock}).
 *
 * <p>Runs and load come from the fault suite's properties ({@link FaultSettings}: {@code
 * faults.rounds}, {@code faults.rate}, {@code faults.seed}, ...); the defaults are the short variant
 * of every {@code verify}, docs/reliability.md gives the full one. The runs' logs stay under {@code
 * target/failover-runs/}, the figures in {@code target/failover-report.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverSuiteIT {

    static final int BASE_PORT = 5781;
    private static final Logger log = LoggerFactory.getLogger(FailoverSuiteIT.class);

    private static FaultSettings settings;
    private static FailoverReport report;
    private static PrivateRabbitCluster cluster;

    @FunctionalInterface
    private interface Fault {
        /** Starts the applications, injects the run's fault and times the return of the flow. */
        Flow inject(FailoverRig rig, FaultLog faults, Random random) throws Exception;
    }

    @BeforeAll
    static void startCluster() {
        settings = FaultSettings.fromSystemProperties();
        report = new FailoverReport(settings);
        TestServices.mysql(); // a missing MySQL skips (or, with CI=true, fails) before the cluster is started
        Path directory = settings.reportDir().resolve("failover-cluster").toAbsolutePath();
        cluster = PrivateRabbitCluster.start(directory, BASE_PORT);
        log.info(
                "Failover suite with {} on a 3-node cluster started in {} s (repeat with -D{}={})",
                settings.describe(),
                cluster.lastStart().toSeconds(),
                FaultSettings.SEED,
                settings.seed());
    }

    @AfterAll
    static void stopCluster() {
        if (report != null && !report.isEmpty()) {
            log.info("Failover suite, seed {}:\n{}", settings.seed(), report.table());
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void nodeHoldingTheQueueLeaderKilledWhileBothBranchesWrite() throws Exception {
        rounds(1, "queue leader's node SIGKILL", (rig, faults, random) -> {
            startEverything(rig, random);
            int leader = rig.leaderNode();
            faults.note("node " + leader + " holds the queue's leader; " + whereBranchesAre(rig) + "; "
                    + rig.active().name() + " consumes");
            Map<String, Long> committed = rig.committedSeqs();
            long killed = rig.killNode(leader);
            faults.injected("SIGKILL of the node holding the queue's leader");
            Flow flow = FlowClock.measure(rig, killed, committed, settings.convergeTimeout());
            faults.ended();
            faults.note("new leader on node " + rig.leaderNode() + "; flowing again: " + flow.describe(rig));
            return flow;
        });
    }

    @Test
    @Order(2)
    void nodeTheBranchesAreConnectedToKilledWhileBothBranchesWrite() throws Exception {
        rounds(2, "branch's node SIGKILL", (rig, faults, random) -> {
            startEverything(rig, random);
            String branch = rig.branchIds().get(random.nextInt(2));
            int node = rig.nodeOfBranch(branch);
            assertThat(node)
                    .as("%s: the node %s is connected to", rig.name(), branch)
                    .isBetween(1, 3);
            int leader = rig.leaderNode();
            faults.note(whereBranchesAre(rig) + "; node " + leader + " holds the queue's leader; killing node " + node
                    + ", " + rig.shortName(branch) + "'s" + (node == leader ? ", which holds the leader too" : ""));
            Map<String, Long> committed = rig.committedSeqs();
            long killed = rig.killNode(node);
            faults.injected("SIGKILL of a branch's node");
            Flow flow = FlowClock.measure(rig, killed, committed, settings.convergeTimeout());
            faults.ended();
            faults.note(rig.shortName(branch) + " moved to node " + rig.nodeOfBranch(branch) + "; flowing again: "
                    + flow.describe(rig));
            assertThat(rig.nodeOfBranch(branch))
                    .as("%s: %s's node after the kill", rig.name(), branch)
                    .isNotEqualTo(node);
            return flow;
        });
    }

    @Test
    @Order(3)
    void activeHeadOfficeKilledWhileAStandbyRuns() throws Exception {
        rounds(3, "active head office SIGKILL", (rig, faults, random) -> {
            startEverything(rig, random);
            ChildProcess active = rig.active();
            Map<String, Long> committed = rig.committedSeqs();
            long killed = System.nanoTime();
            active.kill();
            faults.injected("SIGKILL of the active head office");
            Flow flow = FlowClock.measure(rig, killed, committed, settings.convergeTimeout());
            faults.ended();
            ChildProcess now = rig.active();
            faults.note(active.name() + " killed; " + now.name() + " took over; flowing again: " + flow.describe(rig));
            assertThat(now)
                    .as("%s: the active head office after the kill", rig.name())
                    .isSameAs(rig.other(active));
            return flow;
        });
    }

    /**
     * The active head office frozen past the broker's heartbeat timeout: RabbitMQ closes its
     * connection, the standby becomes the active consumer and receives what the frozen one had not
     * acknowledged. Resumed, the frozen one finds its connection gone, connects again and stands by;
     * nothing is applied twice, and no gap is reported.
     */
    @Test
    @Order(4)
    void activeHeadOfficeFrozenPastTheHeartbeatTimeoutGivesWayToTheStandby() throws Exception {
        rounds(4, "active head office SIGSTOP", (rig, faults, random) -> {
            startEverything(rig, random);
            ChildProcess frozen = rig.active();
            ChildProcess standby = rig.other(frozen);
            Map<String, Long> committed = rig.committedSeqs();
            long stopped = System.nanoTime();
            frozen.freeze();
            faults.injected("SIGSTOP of the active head office");
            long frozenFor = 30_000 + random.nextInt(10_001);
            CompletableFuture<Flow> flowing = CompletableFuture.supplyAsync(() -> {
                try {
                    return FlowClock.measure(rig, stopped, committed, settings.convergeTimeout());
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            try {
                Thread.sleep(frozenFor);
                assertThat(rig.active())
                        .as("%s: the active head office while one is frozen", rig.name())
                        .isSameAs(standby);
            } finally {
                frozen.resume();
            }
            Flow flow = flowing.get();
            faults.ended();
            faults.note(frozen.name() + " frozen for " + frozenFor / 1000 + " s; flowing again through "
                    + standby.name() + ": " + flow.describe(rig));
            Thread.sleep(between(random, 8_000, 12_000)); // both branches write on; the resumed one finds its feet
            assertThat(frozen.alive())
                    .as("%s: the resumed head office runs", rig.name())
                    .isTrue();
            List<QueueConsumer> consumers = rig.consumers();
            assertThat(consumers.stream().filter(QueueConsumer::active).map(c -> rig.headOfficeOf(c.tag())))
                    .as("%s: the active consumer after the resume (consumers %s)", rig.name(), consumers)
                    .containsExactly(standby);
            String resumed = headOfficeLines(frozen, "resumed with SIGCONT");
            faults.note("after the resume " + consumers.size() + " consumer(s) on the queue; " + frozen.name()
                    + " logged: " + resumed);
            assertThat(resumed)
                    .as("%s: what the resumed head office said of itself", rig.name())
                    .doesNotContain("Head office consuming")
                    .contains("Head office standing by");
            return flow;
        });
    }

    @Test
    @Order(5)
    void twoHeadOfficesStartedAtOnceOnAnEmptyQueueMakeExactlyOneActive() throws Exception {
        rounds(5, "two head offices started at once", (rig, faults, random) -> {
            rig.startBranches();
            Map<String, Long> committed = rig.committedSeqs();
            rig.startLoad(settings.rate(), random);
            long launched = rig.launchHeadOffices();
            faults.injected("two head offices started at once");
            Flow flow = FlowClock.measure(rig, launched, committed, FailoverRig.READY_TIMEOUT);
            faults.ended();
            rig.awaitOneActiveOfTwo();
            ChildProcess active = rig.active();
            Thread.sleep(between(random, 4_000, 8_000));
            assertThat(rig.active())
                    .as("%s: the active head office a few seconds on", rig.name())
                    .isSameAs(active);
            assertThat(rig.headOffices().stream()
                            .filter(p -> !headOfficeLines(p, "start #1").contains("consuming")))
                    .as("%s: head offices that never said they consume", rig.name())
                    .containsExactly(rig.other(active));
            assertThat(rig.processesEverActive())
                    .as("%s: head-office processes recorded as active", rig.name())
                    .isEqualTo(1);
            faults.note(active.name() + " became the active consumer, "
                    + rig.other(active).name() + " stood by; from the start to a change applied: "
                    + flow.describe(rig));
            return flow;
        });
    }

    // ---- the run of a scenario --------------------------------------------------------------

    /** Branches first, then both head offices at once; waits for one active, starts the load, lets it flow. */
    private static void startEverything(FailoverRig rig, Random random) throws InterruptedException {
        rig.startBranches();
        rig.launchHeadOffices();
        rig.awaitOneActiveOfTwo();
        rig.startLoad(settings.rate(), random);
        Thread.sleep(between(random, 2_000, 5_000));
    }

    private void rounds(int scenario, String name, Fault fault) throws Exception {
        List<String> failures = new ArrayList<>();
        for (int round = 1; round <= settings.rounds(); round++) {
            FailoverReport.Run run = runOnce(scenario, name, round, fault);
            report.add(run);
            if (!run.clean() || (scenario >= 3 && run.gapsReported() > 0)) {
                failures.add(describe(run));
            }
        }
        assertThat(failures)
                .as(
                        "runs of failover scenario %d (%s) with seed %d that lost, doubled or never matched",
                        scenario, name, settings.seed())
                .isEmpty();
    }

    private FailoverReport.Run runOnce(int scenario, String name, int round, Fault fault) throws Exception {
        Random random = settings.randomFor(100 + scenario, round);
        String runName = "f" + scenario + "-r" + round;
        FaultLog faults = new FaultLog(runName);
        Instant started = Instant.now();
        try (FailoverRig rig = FailoverRig.open(settings.reportDir(), runName, cluster)) {
            Flow flow = fault.inject(rig, faults, random);
            Thread.sleep(between(random, 1_000, 3_000)); // the branches write on after the flow came back
            rig.stopLoad();
            Convergence convergence = rig.inspect().awaitConvergence(faults.lastEnded(), settings.convergeTimeout());
            long gaps = rig.inspect().resendRequests() + rig.openGaps();
            List<String> notes = new ArrayList<>(faults.notes());
            long changes = rig.writers().stream().mapToLong(LoadWriter::changes).sum();
            if (convergence.secondsToRowMatch() == null) {
                notes.add("last problem while waiting: " + convergence.lastProblem());
                rig.dumpThreads();
                for (String branch : rig.branchIds()) {
                    notes.add(rig.shortName(branch) + ": " + rig.inspect().progress(branch));
                }
            }
            if (gaps > 0) {
                notes.add(gaps + " gap(s) reported or open at the end");
            }
            List<Comparison> comparisons = convergence.comparisons();
            FailoverReport.Run run = new FailoverReport.Run(
                    scenario,
                    name,
                    round,
                    changes,
                    comparisons.stream().mapToLong(Comparison::branchRows).sum(),
                    comparisons.stream().mapToLong(Comparison::lost).sum(),
                    comparisons.stream().mapToLong(Comparison::duplicates).sum(),
                    comparisons.stream().mapToLong(Comparison::differing).sum(),
                    comparisons.stream().mapToLong(Comparison::summaryLinesOff).sum(),
                    rig.inspect().appliedChanges() - changes,
                    gaps,
                    flow.seconds(),
                    convergence.secondsToRowMatch(),
                    Duration.between(started, Instant.now()).toMillis() / 1000.0,
                    notes,
                    comparisons.stream()
                            .flatMap(c -> c.examples().stream())
                            .limit(10)
                            .toList(),
                    rig.runDir().toString());
            log.info(
                    "{}: {}; fault to flow {} s",
                    runName,
                    run.clean() ? "matched row by row" : describe(run),
                    flow.seconds() == null ? "never" : String.format(Locale.ROOT, "%.2f", flow.seconds()));
            return run;
        }
    }

    private static String describe(FailoverReport.Run run) {
        return "f" + run.scenario() + " round " + run.round() + ": lost " + run.lost() + ", duplicates "
                + run.duplicates() + ", differing " + run.differing() + ", summary lines off " + run.summaryLinesOff()
                + ", applied twice " + run.extraApplied() + ", gaps reported " + run.gapsReported()
                + (run.secondsToFlow() == null ? ", never flowed again" : "")
                + (run.secondsToRowMatch() == null ? ", never matched" : "") + "; " + run.notes() + "; "
                + run.examples() + "; logs in " + run.runDirectory();
    }

    private static String whereBranchesAre(FailoverRig rig) {
        return rig.branchIds().stream()
                .map(branch -> rig.shortName(branch) + " on node " + rig.nodeOfBranch(branch))
                .collect(Collectors.joining(", "));
    }

    /** The head office's own state lines ("Head office ...") and warnings since the mark, joined. */
    private static String headOfficeLines(ChildProcess headOffice, String mark) {
        return headOffice.linesAfter(mark).stream()
                .filter(line -> line.contains("Head office ") || line.contains(" WARN "))
                .map(line -> line.replaceAll("^\\S+ \\S+ ", ""))
                .limit(12)
                .collect(Collectors.joining(" | "));
    }

    private static int between(Random random, int min, int max) {
        return max <= min ? min : min + random.nextInt(max - min + 1);
    }
}
