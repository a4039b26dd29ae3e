package io.salesync.bench.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.common.testing.Sandbox;
import io.salesync.common.testing.TestServices;
import io.salesync.desktop.testing.GuiTesting;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./salesync bench-window} at smoke size against the real services and the real window, so
 * that it cannot rot: every figure is printed and the consumer applies every change. No timing is
 * judged: a benchmark prints figures, it does not pass or fail on them.
 */
class WindowBenchmarkSmokeIT {

    private static final int ROWS = 2_500;
    private static final int CHANGES = 300;

    @BeforeAll
    static void display() {
        GuiTesting.setUpOnce();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void smokeRunPrintsEveryFigure() throws Exception {
        try (Sandbox sandbox = new Sandbox()) {
            TestServices.Mysql mysql = sandbox.mysql();
            TestServices.Amqp amqp = sandbox.amqp();
            WindowBenchOptions defaults = WindowBenchOptions.parse(
                    new String[] {"--rows", String.valueOf(ROWS), "--changes", String.valueOf(CHANGES)}, Map.of());
            WindowBenchOptions options = new WindowBenchOptions(
                    defaults.rows(),
                    defaults.changes(),
                    defaults.branches(),
                    sandbox.schema("window"),
                    mysql.baseUrl(),
                    mysql.user(),
                    mysql.password(),
                    amqp.uri().toString(),
                    amqp.user(),
                    amqp.password(),
                    sandbox.prefix(),
                    "head-office-bench-it");
            ByteArrayOutputStream printed = new ByteArrayOutputStream();

            int status = new WindowBenchmark(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

            String text = printed.toString(StandardCharsets.UTF_8);
            assertThat(status).as(text).isZero();
            assertThat(text)
                    .contains(
                            "2,500 rows, 300 changes",
                            "filled 2,500 rows",
                            "open window -> first page and totals shown:",
                            "open window -> chart and health shown too:",
                            "filters, first pass:",
                            "filters, second pass:",
                            "product contains 'Lamp' (all branches):",
                            "clear filters (all rows):",
                            "queued 300 changes for the consumer",
                            "consumer applied 300 changes",
                            "heartbeats every 10 ms",
                            "heap used after GC:");
        }
    }
}
