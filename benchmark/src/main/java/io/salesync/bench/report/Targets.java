package io.salesync.bench.report;

import io.salesync.bench.env.Verification;
import io.salesync.bench.report.Figures.Catchup;
import io.salesync.bench.report.Figures.Ceilings;
import io.salesync.bench.report.Figures.Latency;
import io.salesync.bench.report.Figures.Memory;
import io.salesync.bench.report.Figures.Scale;
import io.salesync.bench.report.Figures.ScaleRun;
import io.salesync.bench.report.Figures.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The targets, checked against one run's figures. A target whose phase did not run is left out.
 *
 * <p>Catch-up is judged against the slower of two ceilings measured in the same run: the broker's
 * rate for persistent, confirmed messages published and consumed at once, and MySQL's rate for the
 * head office's own transaction. Latency is judged only on a machine of more than
 * {@value #SHARED_CORES} cores: on one that small, which also runs every branch, the broker and
 * both databases, it is a figure reported, not a target.
 */
public final class Targets {

    static final double CATCHUP_SHARE = 0.5;
    static final int SHARED_CORES = 2;
    static final double P99_MS = 50;
    static final double P50_MS = 10;
    static final long HEAP_MIB = 256;
    static final double SCALE_SHARE = 0.8;

    private Targets() {}

    public static List<Target> evaluate(
            int cores, Ceilings ceilings, List<Catchup> catchups, Latency latency, Scale scale) {
        List<Target> targets = new ArrayList<>();
        if (catchups != null) {
            for (Catchup catchup : catchups) {
                if (ceilings != null) {
                    targets.add(catchup(catchup, ceilings));
                }
                targets.add(nothingLost("catch-up, " + catchup.branches() + " branches", catchup.verification()));
            }
            Catchup largest = catchups.get(catchups.size() - 1);
            targets.add(heap(
                    largest.headOfficeMemory(),
                    "head office heap while catching up " + largest.branches() + " branches"));
        }
        if (latency != null && cores > SHARED_CORES) {
            String at = format(" at %,.0f changes/s offered", latency.offeredPerSecond());
            targets.add(new Target(
                    "latency p99" + at,
                    format("under %.0f ms", P99_MS),
                    format("%.1f ms", latency.commitToApplied().p99()),
                    latency.commitToApplied().p99() < P99_MS));
            targets.add(new Target(
                    "latency p50" + at,
                    format("under %.0f ms", P50_MS),
                    format("%.1f ms", latency.commitToApplied().p50()),
                    latency.commitToApplied().p50() < P50_MS));
        }
        if (latency != null) {
            targets.add(nothingLost("latency", latency.verification()));
        }
        if (scale != null && scale.runs().size() > 1) {
            ScaleRun many = scale.runs().get(scale.runs().size() - 1);
            targets.add(nothingLost(many.branches() + " branches at once", many.verification()));
            targets.add(new Target(
                    many.branches() + " running branches publishing at once, throughput",
                    format("at least %.0f %% of two branches'", SCALE_SHARE * 100),
                    format(
                            "%,.0f/s vs %,.0f/s = %.0f %% (relays starting at once too: %.0f %%)",
                            many.running().perSecond(),
                            scale.runs().get(0).running().perSecond(),
                            scale.runningRatio() * 100,
                            scale.ratio() * 100),
                    scale.runningRatio() >= SCALE_SHARE));
        }
        return targets;
    }

    private static Target catchup(Catchup catchup, Ceilings ceilings) {
        double broker = ceilings.broker().publishAndConsume().perSecond();
        double mysql = ceilings.mysql().applier().perSecond();
        double slower = Math.min(broker, mysql);
        double ratio = catchup.catchup().perSecond() / slower;
        String which = broker <= mysql
                ? format("the broker's publish-and-consume rate; MySQL's %,.0f/s", mysql)
                : format("MySQL's rate for the head office's transaction; the broker's %,.0f/s", broker);
        return new Target(
                "catch-up, " + catchup.branches() + " branches",
                "at least half the slower of the broker's publish-and-consume rate and MySQL's rate for the head office's transaction",
                format("%,.0f/s = %.2f x %,.0f/s (%s)", catchup.catchup().perSecond(), ratio, slower, which),
                ratio >= CATCHUP_SHARE);
    }

    private static Target nothingLost(String what, Verification.Outcome outcome) {
        return new Target(
                what + ": nothing lost",
                "every branch row at the head office, same version; no dead letter",
                format(
                        "%,d rows at branches, %,d at head office; %d missing, %d extra, %d differing, %d dead-lettered, %d left queued",
                        outcome.branchRows(),
                        outcome.headOfficeRows(),
                        outcome.missing(),
                        outcome.extra(),
                        outcome.differing(),
                        outcome.deadLettered(),
                        outcome.leftInQueue()),
                outcome.nothingLost());
    }

    private static Target heap(Memory memory, String what) {
        long limit = parseMib(memory.maxHeap());
        boolean met = !memory.outOfMemory()
                && limit > 0
                && limit <= HEAP_MIB
                && memory.gc().maxBeforeGcMib() <= HEAP_MIB;
        String heap = memory.gc().collections() == 0
                ? "no collection was needed"
                : format(
                        "heap after GC at most %d MiB, before GC at most %d MiB",
                        memory.gc().maxAfterGcMib(), memory.gc().maxBeforeGcMib());
        return new Target(
                what,
                format("heap under %d MiB at full speed", HEAP_MIB),
                format(
                        "ran with -Xmx%s%s; %s; RSS %d MiB",
                        memory.maxHeap(),
                        memory.outOfMemory() ? " and RAN OUT OF MEMORY" : "",
                        heap,
                        memory.peakRssMib()),
                met);
    }

    static long parseMib(String heap) {
        char unit = Character.toLowerCase(heap.charAt(heap.length() - 1));
        long number = Long.parseLong(Character.isDigit(unit) ? heap : heap.substring(0, heap.length() - 1));
        return switch (unit) {
            case 'g' -> number * 1024;
            case 'm' -> number;
            case 'k' -> number / 1024;
            default -> number >> 20;
        };
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
