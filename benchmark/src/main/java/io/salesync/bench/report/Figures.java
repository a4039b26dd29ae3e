package io.salesync.bench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.salesync.bench.env.HeadOfficeProcess.GcFigures;
import io.salesync.bench.env.ProcStats;
import io.salesync.bench.env.Verification.Outcome;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured, as written to the JSON file. Rates are per second, times in
 * milliseconds unless a name says seconds, memory in MiB. A phase that did not run is null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Figures(
        String tool,
        String label,
        String startedAt,
        double seconds,
        String command,
        boolean smoke,
        Machine machine,
        Ceilings ceilings,
        List<Catchup> catchup,
        Latency latency,
        Scale scale,
        List<Target> targets,
        List<String> notes) {

    /** Where it ran; {@code loadAverage} was taken at the start (other work on the machine makes figures noisy). */
    public record Machine(
            int cores,
            long memoryMib,
            String cpu,
            String os,
            String java,
            String mysql,
            String rabbitmq,
            long innodbBufferPoolMib,
            String innodbFlushLogAtTrxCommit,
            double loadAverageAtStart) {}

    /** N changes in some seconds. */
    public record Rate(long changes, double seconds, double perSecond) {

        public static Rate of(long changes, long nanos) {
            double seconds = nanos / 1e9;
            return new Rate(changes, round(seconds, 3), round(changes / Math.max(seconds, 1e-9), 0));
        }
    }

    /**
     * The machine's ceilings, measured in the same run.
     *
     * @param messageBytes               size of the messages sent (real encoded changes)
     * @param publishConfirmed           one publisher, persistent, mandatory, confirms in a window of 2,000, no consumer
     * @param drain                      one consumer emptying that backlog, manual acks per 500, prefetch 1,000
     * @param publishAndConsume          publisher and consumer at once: first publish to last ack
     * @param latencyRate                the rate of the latency measurement (the latency phase's offered rate)
     * @param publishToDelivery          at that rate: publish to the consumer receiving the message
     * @param publishToConfirm           at that rate: publish to the broker's confirm reaching the publisher
     */
    public record BrokerCeiling(
            int messageBytes,
            Rate publishConfirmed,
            Rate drain,
            Rate publishAndConsume,
            int latencyRate,
            Percentiles publishToDelivery,
            Percentiles publishToConfirm) {}

    /**
     * Batched upserts of head-office rows into the head office's own table (its indexes included),
     * 500 rows per transaction, one connection, the same mix of new and existing sales.
     *
     * @param plainUpsert   {@code INSERT ... ON DUPLICATE KEY UPDATE col = VALUES(col)}: the raw ceiling
     * @param productUpsert the product's version-guarded upsert alone ({@code AggregateRepository.upsert})
     * @param applier       the product's whole transaction ({@code ChangeApplier.apply}: lock, upsert, daily summary, progress)
     * @param sortIndexesDropped the window's sort indexes dropped for the next figure
     * @param plainUpsertFewerIndexes the plain upsert without them: what they cost
     * @param spreadBatchRows   changes per transaction of the next two figures (with the indexes)
     * @param spreadBranches    branches the changes of the last figure come from, one each per batch
     * @param applierOneBranch  the whole transaction, every batch's changes from one branch
     * @param applierManyBranches the whole transaction, each batch one change from each of
     *                          {@code spreadBranches} branches: what a batch's branches cost apart
     *                          from its changes (their progress rows and daily summary lines)
     */
    public record MysqlCeiling(
            int batchRows,
            Rate plainUpsert,
            Rate productUpsert,
            Rate applier,
            int sortIndexesDropped,
            Rate plainUpsertFewerIndexes,
            int spreadBatchRows,
            int spreadBranches,
            Rate applierOneBranch,
            Rate applierManyBranches) {}

    public record Ceilings(BrokerCeiling broker, MysqlCeiling mysql, Map<String, Double> cpuCores) {}

    /** Peak memory of a process while it worked. */
    public record Memory(String process, long peakRssMib, String maxHeap, GcFigures gc, boolean outOfMemory) {}

    /**
     * Catch-up: a backlog of changes drained to a head office that was down.
     *
     * @param backlog           where the backlog sat when the head office started
     * @param backlogWrite      writing it into the branch databases
     * @param relayToBroker     the relays sending it to the broker while the head office was down
     * @param headOfficeStartMs from starting the head office process to its consumer subscribing
     * @param catchup           from the consumer subscribing to the last change committed
     * @param ratioToDrain      catch-up rate / broker drain ceiling
     * @param ratioToPublishAndConsume catch-up rate / broker publish-and-consume ceiling
     * @param ratioToPlainUpsert catch-up rate / MySQL plain upsert ceiling
     * @param ratioToApplier     catch-up rate / the product's apply transaction alone, without a broker
     */
    public record Catchup(
            int branches,
            int changesPerBranch,
            Map<String, Long> mix,
            String backlog,
            Rate backlogWrite,
            Rate relayToBroker,
            double headOfficeStartMs,
            Rate catchup,
            Double ratioToDrain,
            Double ratioToPublishAndConsume,
            Double ratioToPlainUpsert,
            Double ratioToApplier,
            Memory headOfficeMemory,
            Map<String, Long> peakRssMib,
            Map<String, Double> cpuCores,
            Outcome verification) {}

    /** Order statistics of a set of durations in milliseconds. */
    public record Percentiles(long count, double p50, double p95, double p99, double max, double mean) {}

    /**
     * Latency at a fixed offered rate.
     *
     * @param commitToApplied    primary: branch commit (this JVM's clock) to the head office's commit
     *                           being seen by a poll of its progress table (same clock)
     * @param commitToBroker     the branch's part: commit to the message reaching a tap queue the
     *                           benchmark binds beside the head office's (same clock)
     * @param brokerToApplied    the head office's part: from the tap to the head office's commit
     * @param commitToConfirmed  branch commit to the relay recording the broker's confirm (outbox
     *                           {@code created_at} to {@code published_at}, millisecond timestamps)
     * @param byTimestamps       outbox {@code created_at} to head-office {@code applied_at} for the
     *                           changes whose version is still the stored one (millisecond timestamps,
     *                           both taken just before their transaction)
     * @param clerksLate         how late the clerks started their changes against the schedule: when
     *                           they fall behind, the offered rate was not really offered
     * @param contextSwitches    per process over the measured window (not this JVM's: its clerk
     *                           threads end inside it), of the threads alive at both ends: on a saturated machine each wake-up on a change's path waits
     *                           for a core, so these say more about the tail than CPU does
     */
    public record Latency(
            int branches,
            int clerksPerBranch,
            double offeredPerSecond,
            double achievedPerSecond,
            int seconds,
            int warmupSeconds,
            Map<String, Long> mix,
            Percentiles commitToApplied,
            Percentiles commitToBroker,
            Percentiles brokerToApplied,
            Percentiles commitToConfirmed,
            Percentiles byTimestamps,
            double pollIntervalMs,
            double meanPollMs,
            Percentiles clerksLate,
            long failures,
            Memory headOfficeMemory,
            Map<String, Long> peakRssMib,
            Map<String, Double> cpuCores,
            Map<String, ProcStats.Switches> contextSwitches,
            Outcome verification) {}

    /**
     * One fan-in run: the same number of changes from N branches, relays all starting at once
     * ({@code endToEnd}), then as many again released at one moment into the running branches
     * ({@code running}, null in files written before it was measured).
     */
    public record ScaleRun(
            int branches,
            int changesPerBranch,
            Rate endToEnd,
            Memory headOfficeMemory,
            Map<String, Long> peakRssMib,
            Map<String, Double> cpuCores,
            Rate running,
            Map<String, Double> runningCpuCores,
            Outcome verification) {}

    /**
     * Many branches against two: {@code ratio} = many-branch rate / two-branch rate with every relay
     * starting at once, {@code runningRatio} the same with the relays running.
     */
    public record Scale(List<ScaleRun> runs, double ratio, double runningRatio) {}

    /** One target of the issue, with what was measured. */
    public record Target(String name, String goal, String measured, boolean met) {}

    public static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
