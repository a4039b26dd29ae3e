package io.salesync.bench.window;

import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.service.ConsumerStatus;
import io.salesync.headoffice.ui.HeadOfficeWindow;
import io.salesync.headoffice.ui.WindowMeasurement;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./salesync bench-window}: measures the head office window on a large aggregate (a command
 * that prints figures, not a test). Fills the schema with N live sales (once; kept for the next
 * run), opens the real window, and reports the time to the first page, the time to apply filters
 * with their totals, the longest event-thread stall while the consumer applies a backlog at full
 * speed, and the heap used. Needs a display (xvfb-run on a server). Options:
 * {@link WindowBenchOptions#USAGE}. Exit status 0 when the run completed, 1 when the head office
 * dead-lettered changes, 2 on a bad option.
 */
public final class WindowBenchmark {

    private final WindowBenchOptions options;
    private final PrintStream out;

    WindowBenchmark(WindowBenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        WindowBenchOptions options;
        try {
            options = WindowBenchOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("salesync: " + e.getMessage());
            System.err.print(WindowBenchOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new WindowBenchmark(options, System.out).run());
    }

    int run() throws Exception {
        HeadOfficeConfig config = config();
        out.printf(
                Locale.ROOT,
                "salesync head office window benchmark: %,d rows, %,d changes, %,d branches; %d cores, max heap %,d MiB%n",
                options.rows(),
                options.changes(),
                options.branches(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        AggregateFill fill = new AggregateFill(options, out);
        fill.createSchema();
        HeadOffice.open(config, status -> {}).close(); // opening applies the migrations; nothing else
        fill.fillIfNeeded(config.database().url());

        CountDownLatch closed = new CountDownLatch(1);
        long start = System.nanoTime();
        HeadOfficeWindow window = HeadOfficeWindow.open(options.preferences(), closed::countDown);
        WindowMeasurement measured = window.measurement();
        var firstPage = measured.nextTableRefresh();
        var firstFull = measured.nextFullRefresh();
        AtomicReference<ConsumerStatus> consumer = new AtomicReference<>(ConsumerStatus.starting());
        HeadOffice headOffice = HeadOffice.open(config, status -> {
            consumer.set(status);
            window.consumerStatus(status);
        });
        window.connected(headOffice.services());
        firstPage.get(120, TimeUnit.SECONDS);
        double openMs = millisSince(start);
        firstFull.get(300, TimeUnit.SECONDS);
        double fullMs = millisSince(start);
        out.printf(Locale.ROOT, "open window -> first page and totals shown: %8.0f ms%n", openMs);
        out.printf(Locale.ROOT, "open window -> chart and health shown too:  %8.0f ms%n", fullMs);

        try (EventThreadProbe probe = EventThreadProbe.start()) {
            for (String pass : new String[] {"first", "second"}) {
                probe.reset();
                out.printf(Locale.ROOT, "filters, %s pass:%n", pass);
                filterPass(measured);
                out.printf(Locale.ROOT, "  longest event-thread stall meanwhile:      %8.1f ms%n", probe.worstMillis());
                out.printf(Locale.ROOT, "    slowest event: %s%n", probe.slowestEvent());
            }

            new BacklogPublisher(config, options.liveBranch(), out).publish(options.changes());
            probe.reset();
            long consumeStart = System.nanoTime();
            headOffice.startConsumer();
            while (consumer.get().appliedChanges() + consumer.get().deadLettered() < options.changes()) {
                Thread.sleep(20);
            }
            double consumeMs = millisSince(consumeStart);
            if (consumer.get().deadLettered() > 0) {
                System.err.printf(
                        Locale.ROOT,
                        "salesync: the head office dead-lettered %,d of the %,d changes; the log says why%n",
                        consumer.get().deadLettered(),
                        options.changes());
                window.close();
                closed.await(10, TimeUnit.SECONDS);
                window.awaitQueriesAfterClose(Duration.ofSeconds(3));
                headOffice.close();
                return 1;
            }
            measured.nextFullRefresh().get(120, TimeUnit.SECONDS);
            out.printf(
                    Locale.ROOT,
                    "consumer applied %,d changes in %,.0f ms (%,.0f changes/s) with the window refreshing live%n",
                    options.changes(),
                    consumeMs,
                    options.changes() / (consumeMs / 1000));
            out.printf(
                    Locale.ROOT,
                    "longest event-thread stall meanwhile:       %8.1f ms (%,d heartbeats every 10 ms)%n",
                    probe.worstMillis(),
                    probe.beats());
            out.printf(Locale.ROOT, "  slowest event: %s%n", probe.slowestEvent());
        }
        int pages = measured.pagesHeld().get(10, TimeUnit.SECONDS);
        System.gc();
        Thread.sleep(200);
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        out.printf(
                Locale.ROOT,
                "heap used after GC: %,d MiB (table holds %d pages of 200 rows)%n",
                (runtime.totalMemory() - runtime.freeMemory()) >> 20,
                pages);
        window.close();
        closed.await(10, TimeUnit.SECONDS);
        window.awaitQueriesAfterClose(Duration.ofSeconds(3));
        headOffice.close();
        return 0;
    }

    /** The filters a manager would try, one after the other, each timed until its rows and totals show. */
    private void filterPass(WindowMeasurement measured) throws Exception {
        filter(
                measured,
                "  branch bo3, region North, H1 2025",
                new SalesFilter(Set.of("bo3"), LocalDate.of(2025, 1, 1), LocalDate.of(2025, 6, 30), "North", null));
        filter(
                measured,
                "  product contains 'Lamp' (all branches)",
                new SalesFilter(Set.of(), null, null, null, "Lamp"));
        filter(
                measured,
                "  date range 2026-01-01 .. 2026-03-31",
                new SalesFilter(Set.of(), LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31), null, null));
        filter(measured, "  clear filters (all rows)", SalesFilter.ALL);
    }

    private void filter(WindowMeasurement measured, String what, SalesFilter filter) throws Exception {
        var shown = measured.nextTableRefresh();
        long start = System.nanoTime();
        measured.applyFilter(filter);
        shown.get(300, TimeUnit.SECONDS);
        out.printf(Locale.ROOT, "%-44s %8.0f ms (rows and totals)%n", what + ":", millisSince(start));
        measured.nextFullRefresh().get(300, TimeUnit.SECONDS);
    }

    private HeadOfficeConfig config() {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.put(DatabaseSettings.URL, options.schemaUrl());
        values.put(DatabaseSettings.USER, options.mysqlUser());
        values.put(DatabaseSettings.PASSWORD, options.mysqlPassword());
        values.put(DatabaseSettings.POOL_SIZE, "6");
        values.put(BrokerSettings.URI_KEY, options.amqpUri());
        values.put(BrokerSettings.USER, options.amqpUser());
        values.put(BrokerSettings.PASSWORD, options.amqpPassword());
        values.put(BrokerSettings.PREFIX, options.prefix());
        return HeadOfficeConfig.from(ConfigSource.of(values));
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}
