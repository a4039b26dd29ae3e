package io.salesync.bench.window;

import java.util.Map;

/**
 * What one window benchmark run does and where: the sizes from the command line, the services from
 * the environment. {@link #parse} throws an IllegalArgumentException naming a bad option.
 *
 * @param rows        live sales in the schema (filled once, kept for the next run)
 * @param changes     changes the consumer applies while the window refreshes live
 * @param branches    branch ids the sales are spread over (bo1..boN)
 * @param schema      the head office schema the window shows (created if missing)
 * @param mysqlUrl    a server URL without a schema, for a user that may create the schema
 * @param prefix      the broker names' prefix (exchanges and queues of the benchmark's own)
 * @param preferences where the window remembers its bounds and theme
 */
public record WindowBenchOptions(
        long rows,
        int changes,
        int branches,
        String schema,
        String mysqlUrl,
        String mysqlUser,
        String mysqlPassword,
        String amqpUri,
        String amqpUser,
        String amqpPassword,
        String prefix,
        String preferences) {

    public static final String USAGE = """
            usage: ./salesync bench-window [--rows N] [--changes M] [--branches B]
              --rows N      live sales in the schema (default 1000000; filled once, reused while N and B stay the same)
              --changes M   changes the consumer applies with the window open (default 50000)
              --branches B  branches bo1..boB the sales are spread over (default 8, at most 10000)
            environment:
              SALESYNC_BENCH_SCHEMA      default salesync_ho_bench (created if missing; its rows are replaced when N differs)
              SALESYNC_BENCH_MYSQL_URL   default jdbc:mysql://127.0.0.1:3306/  (a user that may create the schema)
              SALESYNC_BENCH_MYSQL_USER / _PASSWORD   default root / empty
              SALESYNC_BENCH_AMQP_URI    default amqp://127.0.0.1:5672/%2F
              SALESYNC_BENCH_AMQP_USER / _PASSWORD    default guest / guest
            """;

    static final String PREFIX = "salesync-bench";
    static final int DEFAULT_BRANCHES = 8;
    static final int MAX_BRANCHES = 10_000;
    static final String PREFERENCES = "head-office-bench";

    public static WindowBenchOptions parse(String[] args, Map<String, String> env) {
        long rows = 1_000_000;
        int changes = 50_000;
        long branches = DEFAULT_BRANCHES;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--rows" -> rows = number(option, args, ++i);
                case "--changes" -> changes = Math.toIntExact(number(option, args, ++i));
                case "--branches" -> branches = number(option, args, ++i);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (rows < 1 || changes < 1) {
            throw new IllegalArgumentException("--rows and --changes take at least 1");
        }
        if (branches < 1 || branches > MAX_BRANCHES) {
            throw new IllegalArgumentException(
                    "--branches takes 1 to " + MAX_BRANCHES + " (branch ids bo1..boN), not " + branches);
        }
        return new WindowBenchOptions(
                rows,
                changes,
                (int) branches,
                env.getOrDefault("SALESYNC_BENCH_SCHEMA", "salesync_ho_bench"),
                env.getOrDefault("SALESYNC_BENCH_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/"),
                env.getOrDefault("SALESYNC_BENCH_MYSQL_USER", "root"),
                env.getOrDefault("SALESYNC_BENCH_MYSQL_PASSWORD", ""),
                env.getOrDefault("SALESYNC_BENCH_AMQP_URI", "amqp://127.0.0.1:5672/%2F"),
                env.getOrDefault("SALESYNC_BENCH_AMQP_USER", "guest"),
                env.getOrDefault("SALESYNC_BENCH_AMQP_PASSWORD", "guest"),
                PREFIX,
                PREFERENCES);
    }

    /** The server URL with the schema, as the head office opens it. */
    String schemaUrl() {
        return (mysqlUrl.endsWith("/") ? mysqlUrl : mysqlUrl + "/") + schema;
    }

    /** The branch the consumer phase adds sales to, one past the filled ones (bo9 with 8 branches). */
    String liveBranch() {
        return "bo" + (branches + 1);
    }

    private static long number(String option, String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a number");
        }
        try {
            return Long.parseLong(args[index].replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not '" + args[index] + "'", e);
        }
    }
}
