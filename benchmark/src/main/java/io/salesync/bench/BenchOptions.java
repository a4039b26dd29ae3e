package io.salesync.bench;

import io.salesync.bench.workload.ChangeMix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one benchmark run does, parsed from the command line and checked in one place
 * ({@link #parse}): a bad value throws an IllegalArgumentException naming the option.
 *
 * <p>{@code --smoke} changes the defaults of every size to a few seconds' worth; a size given
 * explicitly wins over both sets of defaults.
 */
public record BenchOptions(
        Set<Phase> phases,
        List<Integer> catchupBranches,
        List<Integer> catchupSales,
        ChangeMix mix,
        int latencyBranches,
        int clerksPerBranch,
        int rate,
        int durationSeconds,
        int warmupSeconds,
        int scaleBranches,
        int scaleChanges,
        int ceilingMessages,
        int ceilingRows,
        boolean smoke,
        boolean clean,
        boolean keep,
        boolean raiseMaxConnections,
        String label,
        Path root,
        Path out,
        Path doc,
        Services.Endpoints endpoints,
        String headOfficeHeap,
        List<String> headOfficeJavaOptions,
        Map<String, String> headOfficeSettings,
        String headOfficeJdbcParams,
        Map<String, String> branchSettings) {

    /** The parts of a run, in the order they run. */
    public enum Phase {
        CEILINGS,
        CATCHUP,
        LATENCY,
        SCALE;

        String optionName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String USAGE = """
            usage: ./salesync bench [OPTIONS]
              --phases LIST          ceilings,catchup,latency,scale (default all of them)
              --branches LIST        branch counts of the catch-up runs (default 2,20; smoke 2)
              --sales LIST           backlog of changes per branch in each of them, one value for all or one
                                     per branch count (default 100000,10000: 200,000 changes each; smoke 500)
              --mix I:U:D            inserts:updates:deletes (default 70:20:10)
              --latency-branches N   branches writing in the latency phase (default 10; smoke 2)
              --clerks N             clerks (threads) per branch making its changes (default: one per 25 changes/s)
              --rate R               offered changes per second across them (default 500; smoke 100)
              --duration S           measured seconds of the latency phase (default 60; smoke 3)
              --warmup S             unmeasured seconds before it, for the JIT compilers to settle (default 30; smoke 1)
              --scale-branches N     branches publishing at once in the scale phase (default 100; smoke 10)
              --scale-changes N      changes in each scale run, split between the branches (default 100000; smoke 1000)
              --ceiling-messages N   messages of the broker ceilings (default 100000; smoke 2000)
              --ceiling-rows N       rows of the MySQL ceilings (default 50000; smoke 2000)
              --smoke                tiny sizes: every phase in seconds
              --out FILE.json        where the figures go (default docs/bench/latest.json; smoke target/bench/smoke.json)
              --doc FILE.md|none     the page whose generated section is replaced (default docs/performance.md; smoke none)
              --label TEXT           a name for this run in the JSON file and on the terminal (default "baseline")
              --keep                 keep the schemas and queues for inspection
              --clean                only remove what earlier runs kept or left behind (bench_* schemas, their queues)
              --raise-max-connections  raise MySQL's max_connections for the run when the scale phase needs more
              --ho-heap SIZE         head office -Xmx (default 256m)
              --ho-java-opts "OPTS"  more JVM options for the head office (JFR, say)
              --ho-set KEY=VALUE     a head office setting (salesync.consumer.prefetch=2000); repeatable
              --ho-jdbc-params P     added to the head office's JDBC URL (what the pool itself sets wins)
              --branch-set KEY=VALUE a branch setting (salesync.relay.confirm-window=5000); repeatable
              --mysql-url URL --mysql-user U --mysql-password P   an admin that may create schemas
                                     (default SALESYNC_BENCH_MYSQL_URL/_USER/_PASSWORD, else jdbc:mysql://127.0.0.1:3306/ root)
              --amqp-uri URI --amqp-user U --amqp-password P      (default SALESYNC_BENCH_AMQP_URI/_USER/_PASSWORD,
                                     else amqp://127.0.0.1:5672/%2F guest/guest)
              --root DIR             the repository (for docs/ and the head office jar; default .)
            """;

    /** Parses and validates; throws IllegalArgumentException naming the first bad option. */
    public static BenchOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> given = new LinkedHashMap<>();
        List<String> hoJavaOptions = new ArrayList<>();
        Map<String, String> hoSettings = new LinkedHashMap<>();
        Map<String, String> branchSettings = new LinkedHashMap<>();
        boolean smoke = false;
        boolean clean = false;
        boolean keep = false;
        boolean raise = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--smoke" -> smoke = true;
                case "--keep" -> keep = true;
                case "--clean" -> clean = true;
                case "--raise-max-connections" -> raise = true;
                case "--ho-java-opts" ->
                    hoJavaOptions.addAll(List.of(value(args, ++i, option).trim().split("\\s+")));
                case "--ho-set" -> setting(hoSettings, value(args, ++i, option), option);
                case "--branch-set" -> setting(branchSettings, value(args, ++i, option), option);
                case "--phases",
                        "--branches",
                        "--sales",
                        "--mix",
                        "--latency-branches",
                        "--clerks",
                        "--rate",
                        "--duration",
                        "--warmup",
                        "--scale-branches",
                        "--scale-changes",
                        "--ceiling-messages",
                        "--ceiling-rows",
                        "--out",
                        "--doc",
                        "--label",
                        "--ho-heap",
                        "--mysql-url",
                        "--mysql-user",
                        "--mysql-password",
                        "--amqp-uri",
                        "--amqp-user",
                        "--amqp-password",
                        "--ho-jdbc-params",
                        "--root" -> given.put(option, value(args, ++i, option));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        hoJavaOptions.removeIf(String::isEmpty);
        Path root = Path.of(given.getOrDefault("--root", ".")).toAbsolutePath().normalize();
        String doc = given.getOrDefault("--doc", smoke ? "none" : "docs/performance.md");
        String heap = given.getOrDefault("--ho-heap", "256m");
        if (!heap.matches("\\d+[kmgKMG]?")) {
            throw new IllegalArgumentException("--ho-heap takes a JVM heap size such as 256m, not '" + heap + "'");
        }
        List<Integer> branches = counts("--branches", given.getOrDefault("--branches", smoke ? "2" : "2,20"));
        List<Integer> sales = counts(
                "--sales",
                given.getOrDefault(
                        "--sales", smoke ? "500" : given.containsKey("--branches") ? "100000" : "100000,10000"));
        if (sales.size() == 1) {
            sales = Collections.nCopies(branches.size(), sales.get(0));
        } else if (sales.size() != branches.size()) {
            throw new IllegalArgumentException(
                    "--sales takes one value, or one per branch count of --branches (" + branches.size() + ")");
        }
        BenchOptions options = new BenchOptions(
                phases(given.getOrDefault("--phases", "ceilings,catchup,latency,scale")),
                branches,
                List.copyOf(sales),
                ChangeMix.parse(given.getOrDefault("--mix", "70:20:10")),
                positive(given, "--latency-branches", smoke ? 2 : 10),
                nonNegative(given, "--clerks", 0),
                positive(given, "--rate", smoke ? 100 : 500),
                positive(given, "--duration", smoke ? 3 : 60),
                nonNegative(given, "--warmup", smoke ? 1 : 30),
                positive(given, "--scale-branches", smoke ? 10 : 100),
                positive(given, "--scale-changes", smoke ? 1_000 : 100_000),
                positive(given, "--ceiling-messages", smoke ? 2_000 : 100_000),
                positive(given, "--ceiling-rows", smoke ? 2_000 : 50_000),
                smoke,
                clean,
                keep,
                raise,
                given.getOrDefault("--label", smoke ? "smoke" : "baseline"),
                root,
                root.resolve(given.getOrDefault("--out", smoke ? "target/bench/smoke.json" : "docs/bench/latest.json")),
                doc.equals("none") ? null : root.resolve(doc),
                Services.Endpoints.from(given, env),
                heap,
                List.copyOf(hoJavaOptions),
                Map.copyOf(hoSettings),
                given.getOrDefault("--ho-jdbc-params", ""),
                Map.copyOf(branchSettings));
        if (options.scaleChanges() < options.scaleBranches() || options.scaleChanges() < 2) {
            throw new IllegalArgumentException("--scale-changes (" + options.scaleChanges()
                    + ") must give every one of the " + options.scaleBranches() + " branches at least one change");
        }
        if (options.rate() < options.latencyBranches()) {
            throw new IllegalArgumentException(
                    "--rate (" + options.rate() + ") must be at least one change per second per branch ("
                            + options.latencyBranches() + " branches)");
        }
        return options;
    }

    public boolean runs(Phase phase) {
        return phases.contains(phase);
    }

    /** Clerks per branch in the latency phase: as asked, or one per 25 changes a second the branch makes. */
    public int clerks() {
        if (clerksPerBranch > 0) {
            return clerksPerBranch;
        }
        return (int) Math.max(1, Math.ceil(rate / (double) latencyBranches / 25));
    }

    /** The command line that reproduces this run's sizes (without credentials). */
    public String command() {
        StringBuilder command = new StringBuilder("./salesync bench");
        if (smoke) {
            command.append(" --smoke");
        }
        if (phases.size() < Phase.values().length) {
            command.append(" --phases ")
                    .append(String.join(
                            ",", phases.stream().map(Phase::optionName).toList()));
        }
        command.append(" --branches ")
                .append(String.join(
                        ",", catchupBranches.stream().map(String::valueOf).toList()))
                .append(" --sales ")
                .append(String.join(
                        ",", catchupSales.stream().map(String::valueOf).toList()))
                .append(" --mix ")
                .append(mix)
                .append(" --latency-branches ")
                .append(latencyBranches)
                .append(" --clerks ")
                .append(clerks())
                .append(" --rate ")
                .append(rate)
                .append(" --duration ")
                .append(durationSeconds)
                .append(" --scale-branches ")
                .append(scaleBranches)
                .append(" --scale-changes ")
                .append(scaleChanges);
        headOfficeSettings.forEach((key, value) ->
                command.append(" --ho-set ").append(key).append('=').append(value));
        branchSettings.forEach((key, value) ->
                command.append(" --branch-set ").append(key).append('=').append(value));
        if (!headOfficeJdbcParams.isEmpty()) {
            command.append(" --ho-jdbc-params ").append(headOfficeJdbcParams);
        }
        if (!headOfficeHeap.equals("256m")) {
            command.append(" --ho-heap ").append(headOfficeHeap);
        }
        return command.toString();
    }

    private static Set<Phase> phases(String list) {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        for (String name : list.split(",")) {
            try {
                phases.add(Phase.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--phases: unknown phase '" + name.trim() + "' (ceilings, catchup, latency, scale)");
            }
        }
        return phases;
    }

    private static List<Integer> counts(String option, String list) {
        List<Integer> counts = new ArrayList<>();
        for (String count : list.split(",")) {
            counts.add(parsePositive(option, count.trim()));
        }
        return List.copyOf(counts);
    }

    private static int positive(Map<String, String> given, String option, int fallback) {
        return given.containsKey(option) ? parsePositive(option, given.get(option)) : fallback;
    }

    private static int nonNegative(Map<String, String> given, String option, int fallback) {
        if (!given.containsKey(option)) {
            return fallback;
        }
        return given.get(option).equals("0") ? 0 : parsePositive(option, given.get(option));
    }

    private static int parsePositive(String option, String text) {
        try {
            int value = Integer.parseInt(text.replace("_", "").replace(",", ""));
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a whole number above 0, not '" + text + "'");
    }

    private static void setting(Map<String, String> settings, String text, String option) {
        int equals = text.indexOf('=');
        if (equals <= 0 || !text.startsWith("salesync.")) {
            throw new IllegalArgumentException(option + " takes salesync.KEY=VALUE, not '" + text + "'");
        }
        settings.put(text.substring(0, equals), text.substring(equals + 1));
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    @Override
    public String toString() {
        return command();
    }
}
