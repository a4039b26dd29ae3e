package io.salesync.bench.phase;

import io.salesync.bench.env.BrokerTap;
import io.salesync.bench.env.HeadOfficeProcess;
import io.salesync.bench.env.ProcStats;
import io.salesync.bench.env.ProgressWatch;
import io.salesync.bench.env.Scenario;
import io.salesync.bench.report.Figures.Latency;
import io.salesync.bench.report.Figures.Memory;
import io.salesync.bench.report.Stats;
import io.salesync.bench.workload.LiveWriter;
import io.salesync.branch.BranchOffice;
import io.salesync.common.codec.MessageFormatException;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.SaleChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Latency at a fixed offered rate: the head office and the relays running, clerks at every branch
 * making changes through the real {@code SaleService} on a fixed schedule that adds up to the
 * offered rate, and for each change the time from its commit at the branch to the head office's
 * commit of it. Both ends are seen from this JVM's monotonic clock: the commit when
 * {@code SaleService} returns, the head office's commit when a poll of its progress table (every
 * 2 ms) first shows the change's sequence number.
 */
public final class LatencyPhase {

    private static final int SEED_SALES = 1_000;
    /** A poll costs MySQL about 0.1 ms; every 2 ms keeps that under a tenth of a core on a 2-core machine. */
    private static final Duration POLL = Duration.ofMillis(2);

    private final RunContext context;

    public LatencyPhase(RunContext context) {
        this.context = context;
    }

    public Latency run() throws Exception {
        var options = context.options();
        int branchCount = options.latencyBranches();
        int clerks = options.clerks();
        // The relay keeps one connection for its lock and uses one more; each clerk needs one.
        int poolSize = Math.min(64, 2 + clerks);
        try (Scenario scenario = new Scenario(
                context.services(), options, "lat", branchCount, poolSize, context.directory(), context.say())) {
            say(
                    "latency: %d branches with %d clerks each, %,d changes/s offered for %d s after %d s of warm-up ...",
                    branchCount, clerks, options.rate(), options.durationSeconds(), options.warmupSeconds());
            scenario.createSchemas();
            HeadOfficeProcess headOffice = scenario.startHeadOffice();
            scenario.openBranches();
            scenario.awaitConsumer(Duration.ofSeconds(120));
            scenario.startRelays();
            List<LiveWriter> writers = new ArrayList<>();
            for (int i = 0; i < branchCount; i++) {
                BranchOffice branch = scenario.branches().get(i);
                for (int c = 0; c < clerks; c++) {
                    LiveWriter writer = new LiveWriter(
                            branch.config().branchId(), branch.saleService(), options.mix(), 5_000L + i * 100L + c);
                    writer.seed(Math.max(10, (options.smoke() ? 100 : SEED_SALES) / clerks));
                    writers.add(writer);
                }
            }
            try (ProgressWatch watch = scenario.watch(POLL);
                    BrokerTap tap = new BrokerTap(
                            context.services(),
                            scenario.topology(),
                            scenario.branches().get(0).config().branchId())) {
                Duration timeout = Duration.ofSeconds(120);
                if (watch.awaitReached(scenario.lastSeqs(), timeout, headOffice::requireAlive) < 0) {
                    throw new IllegalStateException(
                            "the head office did not apply the seed sales within " + timeout.toSeconds() + " s");
                }
                Map<String, Long> seeded = scenario.lastSeqs();

                // Every clerk works at the same pace; their starts are spread so that the branches together
                // offer one change every 1/rate seconds.
                long interval = Math.round(1e9 * writers.size() / options.rate());
                long start = System.nanoTime() + 200_000_000L;
                long measureFrom = start + options.warmupSeconds() * 1_000_000_000L;
                long stopAt = measureFrom + options.durationSeconds() * 1_000_000_000L;
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < writers.size(); i++) {
                    int order = (i % clerks) * branchCount + i / clerks;
                    writers.get(i).schedule(start + order * interval / writers.size(), interval, measureFrom, stopAt);
                    Thread thread = new Thread(
                            writers.get(i), "bench-clerk-" + writers.get(i).branchId() + "-" + i % clerks);
                    threads.add(thread);
                    thread.start();
                }
                Map<String, Long> pids = new LinkedHashMap<>(context.serverPids());
                pids.put("head office", headOffice.pid());
                sleepUntil(measureFrom);
                ProcStats.CpuWindow cpu = ProcStats.CpuWindow.start(pids);
                int gcFrom = headOffice.gcLogLines();
                Map<String, Double> cores;
                Map<String, ProcStats.Switches> switches;
                Map<String, Long> rss;
                try (ProcStats.RssSampler sampler = new ProcStats.RssSampler(pids)) {
                    for (Thread thread : threads) {
                        thread.join();
                    }
                    cores = cpu.stop();
                    switches = new LinkedHashMap<>(cpu.switches());
                    // Its clerk threads end inside the window and take their counts with them.
                    switches.remove(ProcStats.THIS_JVM);
                    rss = sampler.peaksMib();
                }
                if (watch.awaitReached(scenario.lastSeqs(), timeout, headOffice::requireAlive) < 0) {
                    throw new IllegalStateException("the head office did not apply the latency phase's changes within "
                            + timeout.toSeconds() + " s");
                }
                Memory memory = new Memory(
                        "head office",
                        rss.getOrDefault("head office", -1L),
                        headOffice.heap(),
                        headOffice.gcSince(gcFrom),
                        headOffice.ranOutOfMemory());

                List<Double> latencies = new ArrayList<>();
                List<Double> toBroker = new ArrayList<>();
                List<Double> fromBroker = new ArrayList<>();
                List<Double> late = new ArrayList<>();
                List<Double> confirms = new ArrayList<>();
                List<Double> byTimestamps = new ArrayList<>();
                long measured = 0;
                long lastCommit = measureFrom;
                boolean wholeSeconds = false;
                for (BranchOffice branch : scenario.branches()) {
                    String id = branch.config().branchId();
                    Map<String, Long> seqOf = sequences(scenario, id, seeded.get(id));
                    long firstMeasuredSeq = Long.MAX_VALUE;
                    List<LiveWriter.Made> made = new ArrayList<>();
                    writers.stream()
                            .filter(writer -> writer.branchId().equals(id))
                            .forEach(writer -> made.addAll(writer.measured()));
                    for (LiveWriter.Made change : made) {
                        Long seq = seqOf.get(change.saleId() + ":" + change.version());
                        if (seq == null) {
                            throw new IllegalStateException("branch " + id + ": no outbox row for sale "
                                    + change.saleId() + " version " + change.version());
                        }
                        firstMeasuredSeq = Math.min(firstMeasuredSeq, seq);
                        long applied = watch.seenAt(id, seq);
                        latencies.add((applied - change.committedNanos()) / 1e6);
                        long atBroker = tap.seenAt(SaleChange.messageId(id, seq));
                        if (atBroker > 0) {
                            toBroker.add((atBroker - change.committedNanos()) / 1e6);
                            fromBroker.add((applied - atBroker) / 1e6);
                        }
                        late.add(change.lateNanos() / 1e6);
                        lastCommit = Math.max(lastCommit, change.committedNanos());
                        measured++;
                    }
                    if (firstMeasuredSeq != Long.MAX_VALUE
                            && !timestampDurations(scenario, id, firstMeasuredSeq, confirms, byTimestamps)) {
                        wholeSeconds = true;
                    }
                }
                if (wholeSeconds) {
                    confirms.clear();
                    byTimestamps.clear();
                    context.notes()
                            .add(
                                    "The databases' own timestamps hold whole seconds here, so the second opinions from them are"
                                            + " left out: MySQL Connector/J takes MariaDB for server 5.5 (its handshake version is "
                                            + context.services().variable("version")
                                            + " behind a 5.5.5- prefix) and drops the fractional seconds"
                                            + " of every timestamp the applications write.");
                }
                say("latency: verifying row by row ...");
                // Clerks that fall behind stretch the window: the rate achieved is over the time they took.
                double seconds = Math.max(options.durationSeconds(), (lastCommit - measureFrom) / 1e9);
                return new Latency(
                        branchCount,
                        clerks,
                        options.rate(),
                        Math.round(measured * 10.0 / seconds) / 10.0,
                        options.durationSeconds(),
                        options.warmupSeconds(),
                        mix(writers),
                        Stats.percentiles(toArray(latencies)),
                        Stats.percentiles(toArray(toBroker)),
                        Stats.percentiles(toArray(fromBroker)),
                        Stats.percentiles(toArray(confirms)),
                        Stats.percentiles(toArray(byTimestamps)),
                        watch.intervalMillis(),
                        Math.round(watch.meanPollMillis() * 1000) / 1000.0,
                        Stats.percentiles(toArray(late)),
                        failures(writers),
                        memory,
                        rss,
                        cores,
                        switches,
                        scenario.verify());
            }
        }
    }

    /** The outbox sequence of each change made after the seed, by "sale id:version", read from the messages themselves. */
    private static Map<String, Long> sequences(Scenario scenario, String branchId, long after)
            throws SQLException, MessageFormatException {
        SaleChangeCodec codec = new SaleChangeCodec();
        Map<String, Long> seqOf = new HashMap<>();
        try (Connection connection = scenario.connect(scenario.branchSchema(branchId));
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT seq, payload FROM outbox WHERE seq > ? AND message_type = ?")) {
            statement.setLong(1, after);
            statement.setString(2, SaleChange.MESSAGE_TYPE);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    SaleChange change = codec.decode(rs.getBytes(2));
                    seqOf.put(change.sale().id() + ":" + change.sale().version(), rs.getLong(1));
                }
            }
        }
        return seqOf;
    }

    /**
     * Second opinion from the databases' own millisecond timestamps: outbox {@code created_at} to
     * {@code published_at} (the relay recorded the broker's confirm), and to the head office's
     * {@code applied_at} for changes whose version is still the stored one.
     *
     * @return false, adding nothing, when the stored timestamps hold whole seconds only
     */
    private static boolean timestampDurations(
            Scenario scenario, String branchId, long fromSeq, List<Double> confirms, List<Double> byTimestamps)
            throws SQLException {
        String branchSchema = scenario.branchSchema(branchId);
        try (Connection connection = scenario.connect(branchSchema)) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT COUNT(*) FROM outbox WHERE seq >= ? AND MICROSECOND(created_at) <> 0")) {
                statement.setLong(1, fromSeq);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return false;
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT TIMESTAMPDIFF(MICROSECOND, created_at, published_at) FROM outbox WHERE seq >= ? AND published_at IS NOT NULL")) {
                statement.setLong(1, fromSeq);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        confirms.add(rs.getLong(1) / 1000.0);
                    }
                }
            }
            // Both schemas are on the same server; the names are the benchmark's own.
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT TIMESTAMPDIFF(MICROSECOND, o.created_at, h.applied_at) FROM outbox o JOIN "
                            + scenario.headOfficeSchema()
                            + ".sale h ON h.branch_id = ? AND h.sale_id = o.sale_id AND h.branch_seq = o.seq"
                            + " WHERE o.seq >= ?")) {
                statement.setString(1, branchId);
                statement.setLong(2, fromSeq);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        byTimestamps.add(rs.getLong(1) / 1000.0);
                    }
                }
            }
        }
        return true;
    }

    private static Map<String, Long> mix(List<LiveWriter> writers) {
        Map<String, Long> mix = new LinkedHashMap<>();
        mix.put("inserts", writers.stream().mapToLong(LiveWriter::inserts).sum());
        mix.put("updates", writers.stream().mapToLong(LiveWriter::updates).sum());
        mix.put("deletes", writers.stream().mapToLong(LiveWriter::deletes).sum());
        return mix;
    }

    private long failures(List<LiveWriter> writers) {
        writers.stream()
                .map(LiveWriter::firstFailure)
                .filter(f -> f != null)
                .findFirst()
                .ifPresent(failure -> context.notes().add("latency: a clerk's change failed: " + failure));
        return writers.stream().mapToLong(LiveWriter::failures).sum();
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        for (long wait = nanos - System.nanoTime(); wait > 0; wait = nanos - System.nanoTime()) {
            Thread.sleep(Math.max(1, wait / 1_000_000));
        }
    }

    private void say(String format, Object... args) {
        context.say().accept(String.format(Locale.ROOT, format, args));
    }
}
