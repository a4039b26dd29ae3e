package io.salesync.it.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * How hard the fault suite pushes, from system properties (all optional):
 *
 * <pre>
 * faults.seed                 seed of every random choice (default: a new one, printed)
 * faults.rounds               runs of each scenario, each with its own timings (default 1)
 * faults.rate                 changes per second each branch writes during a run (default 120)
 * faults.max-faults           most faults injected in one run; each run draws 1..max (default 2)
 * faults.burst                largest import-like burst the injector writes to aim a kill (default 800)
 * faults.converge-timeout-s   how long a run may take to converge after its last fault (default 120)
 * faults.late-start-s         longest time the branches write before the head office starts, in the
 *                             scenarios where it starts after them; each run draws a third of it to all of it (default 12)
 * faults.report-dir           where fault-report.json/.md and the run directories go (default target)
 * </pre>
 *
 * The defaults are the short variant that runs in CI; docs/reliability.md gives the full command.
 */
record FaultSettings(
        long seed,
        int rounds,
        int rate,
        int maxFaults,
        int burst,
        Duration convergeTimeout,
        Duration lateStart,
        Path reportDir) {

    static final String SEED = "faults.seed";
    static final String ROUNDS = "faults.rounds";
    static final String RATE = "faults.rate";
    static final String MAX_FAULTS = "faults.max-faults";
    static final String BURST = "faults.burst";
    static final String CONVERGE_TIMEOUT = "faults.converge-timeout-s";
    static final String LATE_START = "faults.late-start-s";
    static final String REPORT_DIR = "faults.report-dir";

    /** Reads and checks the properties; a bad value throws naming the property. */
    static FaultSettings fromSystemProperties() {
        String seedText = System.getProperty(SEED);
        long seed;
        try {
            seed = seedText == null || seedText.isBlank() ? new Random().nextLong() : Long.parseLong(seedText.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED + "=" + seedText + " is not a whole number", e);
        }
        return new FaultSettings(
                seed,
                integer(ROUNDS, 1, 1, 100),
                integer(RATE, 120, 5, 5_000),
                integer(MAX_FAULTS, 2, 1, 20),
                integer(BURST, 800, 50, 20_000),
                Duration.ofSeconds(integer(CONVERGE_TIMEOUT, 120, 10, 3_600)),
                Duration.ofSeconds(integer(LATE_START, 12, 3, 3_600)),
                Path.of(System.getProperty(REPORT_DIR, "target")));
    }

    /** The random choices of one run: the same seed, scenario and round always draw the same ones. */
    Random randomFor(int scenario, int round) {
        return new Random(seed ^ (scenario * 0x9E3779B97F4A7C15L) ^ (round * 0xC2B2AE3D27D4EB4FL));
    }

    String describe() {
        return SEED + "=" + seed + " " + ROUNDS + "=" + rounds + " " + RATE + "=" + rate + " " + MAX_FAULTS + "="
                + maxFaults
                + " " + BURST + "=" + burst + " " + CONVERGE_TIMEOUT + "=" + convergeTimeout.toSeconds() + " "
                + LATE_START + "="
                + lateStart.toSeconds();
    }

    private static int integer(String key, int fallback, int min, int max) {
        String text = System.getProperty(key);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + text + " is not a whole number", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + "=" + value + " must be from " + min + " to " + max);
        }
        return value;
    }
}
