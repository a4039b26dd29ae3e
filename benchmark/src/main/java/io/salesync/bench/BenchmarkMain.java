package io.salesync.bench;

import io.salesync.bench.env.Leftovers;
import io.salesync.bench.report.Figures;
import io.salesync.bench.report.JsonReport;
import io.salesync.bench.report.MarkdownReport;
import io.salesync.bench.report.TextReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./salesync bench}: runs the benchmark, prints the figures, writes them to a JSON file and
 * into the generated section of docs/performance.md. Exit status 0 when the run completed with
 * nothing lost (whether or not the targets were met: a benchmark reports, it does not judge), 1 when
 * it failed or lost something, 2 on a bad option.
 */
public final class BenchmarkMain {

    private static final PrintStream out = System.out;
    private static final PrintStream err = System.err;

    private BenchmarkMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(BenchOptions.USAGE);
            return 0;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("salesync: " + e.getMessage());
            err.print(BenchOptions.USAGE);
            return 2;
        }
        if (System.getProperty("salesync.bench.log") == null) {
            // before the first logger: logback.xml writes the detailed log there
            System.setProperty(
                    "salesync.bench.log",
                    options.root().resolve("target/bench/bench.log").toString());
        }
        Logger log = LoggerFactory.getLogger(BenchmarkMain.class);
        log.info("Benchmark starting: {} ({})", options.command(), options.endpoints());
        DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss");
        try {
            if (options.clean()) {
                int removed = Leftovers.remove(new Services(options.endpoints()), out::println);
                out.println(
                        removed == 0
                                ? "nothing left behind by earlier runs"
                                : "removed " + removed + " schema(s) of earlier runs");
                return 0;
            }
            Figures figures = new Benchmark(options, new Services(options.endpoints()), line -> {
                        out.println(LocalTime.now().format(clock) + "  " + line);
                        log.info(line);
                    })
                    .run();
            TextReport.print(figures, out);
            JsonReport.write(options.out(), figures);
            out.println("figures written to " + options.out());
            if (options.doc() != null) {
                MarkdownReport.update(options.doc(), figures, relative(options.root(), options.out()));
                out.println("section updated in " + options.doc());
            }
            boolean lost = figures.targets().stream().anyMatch(t -> t.name().endsWith("nothing lost") && !t.met());
            if (lost) {
                err.println("salesync: the run LOST or changed changes: see the rows marked MISS above");
                return 1;
            }
            if (figures.notes().stream().anyMatch(note -> note.startsWith("FAILED"))) {
                err.println("salesync: a phase failed: see the notes above and "
                        + System.getProperty("salesync.bench.log"));
                return 1;
            }
            return 0;
        } catch (SQLException e) {
            log.error("Benchmark failed", e);
            err.println("salesync: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            log.error("Benchmark failed", e);
            err.println("salesync: the benchmark failed: " + e + " (details in "
                    + System.getProperty("salesync.bench.log") + ")");
            return 1;
        }
    }

    private static String relative(Path root, Path file) {
        return file.startsWith(root) ? root.relativize(file).toString() : file.toString();
    }
}
