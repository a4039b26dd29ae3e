package io.salesync.bench.phase;

import io.salesync.bench.BenchOptions;
import io.salesync.bench.Services;
import io.salesync.bench.env.DatabaseSettle;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What every phase needs: the services, the options, a directory for the run's files (head office
 * logs and configuration), where to say what is happening, and notes for the report.
 *
 * @param serverPids the processes whose CPU and memory are reported (this JVM, MySQL, RabbitMQ)
 */
public record RunContext(
        Services services,
        BenchOptions options,
        Path directory,
        Consumer<String> say,
        Map<String, Long> serverPids,
        List<String> notes) {

    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);

    /** Lets MySQL settle, for at most three minutes (see {@link #settle(String, Duration)}). */
    public void settle(String before) {
        settle(before, SETTLE_TIMEOUT);
    }

    /**
     * Lets MySQL write back and purge what came before (an earlier phase, or the backlog a phase
     * just wrote) before a measured window starts, so that no measurement includes another's
     * aftermath; says how long that took.
     */
    public void settle(String before, Duration timeout) {
        if (options.smoke()) {
            return;
        }
        try {
            DatabaseSettle.Settled settled = DatabaseSettle.await(services, timeout);
            if (settled.seconds() >= 1 || settled.timedOut()) {
                String what = String.format(
                        Locale.ROOT,
                        "before %s: %s %.1f s for MySQL to write back dirty pages (%,d -> %,d)"
                                + " and purge undo history (%,d -> %,d) left by what came before%s",
                        before,
                        settled.timedOut() ? "gave up after" : "waited",
                        settled.seconds(),
                        settled.dirtyBefore(),
                        settled.dirtyAfter(),
                        settled.historyBefore(),
                        settled.historyAfter(),
                        settled.stalled()
                                ? " (neither had gone down for 15 s: the server was not writing back on its own)"
                                : "");
                say.accept(what);
                notes.add(Character.toUpperCase(what.charAt(0)) + what.substring(1) + ".");
            }
        } catch (SQLException e) {
            say.accept("could not read MySQL's write-back state before " + before + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
