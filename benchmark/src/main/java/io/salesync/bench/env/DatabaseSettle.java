package io.salesync.bench.env;

import io.salesync.bench.Services;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Waits for MySQL to finish the background work an earlier phase left: dirty pages in the buffer
 * pool not yet written back, and undo history not yet purged (a catch-up phase leaves hundreds of
 * thousands of rows of both, and dropping its schemas adds more). Measured while that work runs, a
 * latency phase measures the server's write-back stalls instead of the chain.
 */
public final class DatabaseSettle {

    /** At most this share of the buffer pool dirty. */
    private static final double DIRTY_SHARE = 0.05;
    /** At most this many undo log records waiting to be purged. */
    private static final long HISTORY = 5_000;

    private static final Duration POLL = Duration.ofMillis(500);
    /**
     * Waiting stops when neither figure went down for this long: below its flushing thresholds an
     * idle MariaDB can keep a few thousand dirty pages for good, and waiting longer measures nothing.
     */
    private static final Duration STALLED = Duration.ofSeconds(15);

    /**
     * What was waited for: seconds, and the dirty pages and history length at the start and the end;
     * whether the wait ended at the timeout, or because nothing moved for {@link #STALLED}.
     */
    public record Settled(
            double seconds,
            long dirtyBefore,
            long dirtyAfter,
            long historyBefore,
            long historyAfter,
            boolean timedOut,
            boolean stalled) {}

    private DatabaseSettle() {}

    public static Settled await(Services services, Duration timeout) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        try (Connection connection = services.mysql();
                Statement statement = connection.createStatement()) {
            Map<String, Long> first = status(statement);
            Map<String, Long> now = first;
            Map<String, Long> lowest = first;
            long lastProgress = start;
            while (!quiet(now)) {
                if (System.nanoTime() - start > timeout.toNanos()) {
                    return settled(start, first, now, true, false);
                }
                if (System.nanoTime() - lastProgress > STALLED.toNanos()) {
                    return settled(start, first, now, false, true);
                }
                Thread.sleep(POLL.toMillis());
                now = status(statement);
                if (now.get("dirty") < lowest.get("dirty")
                        || now.getOrDefault("history", 0L) < lowest.getOrDefault("history", 0L)) {
                    lowest = now;
                    lastProgress = System.nanoTime();
                }
            }
            return settled(start, first, now, false, false);
        }
    }

    private static Settled settled(
            long start, Map<String, Long> first, Map<String, Long> last, boolean timedOut, boolean stalled) {
        return new Settled(
                Math.round((System.nanoTime() - start) / 1e8) / 10.0,
                first.get("dirty"),
                last.get("dirty"),
                first.getOrDefault("history", -1L),
                last.getOrDefault("history", -1L),
                timedOut,
                stalled);
    }

    private static boolean quiet(Map<String, Long> status) {
        return status.get("dirty") <= status.get("total") * DIRTY_SHARE
                && status.getOrDefault("history", 0L) <= HISTORY;
    }

    private static Map<String, Long> status(Statement statement) throws SQLException {
        Map<String, Long> status = new HashMap<>();
        try (ResultSet rs = statement.executeQuery(
                "SHOW GLOBAL STATUS WHERE Variable_name IN"
                        + " ('Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_pages_total', 'Innodb_history_list_length')")) {
            while (rs.next()) {
                String name = rs.getString(1);
                long value = rs.getLong(2);
                status.put(name.endsWith("dirty") ? "dirty" : name.endsWith("total") ? "total" : "history", value);
            }
        }
        if (!status.containsKey("history")) {
            historyFromMetrics(statement).ifPresent(history -> status.put("history", history));
        }
        status.putIfAbsent("dirty", 0L);
        status.putIfAbsent("total", 1L);
        return status;
    }

    /** MySQL has no status variable for the history length; its InnoDB metrics table has it. */
    private static OptionalLong historyFromMetrics(Statement statement) {
        try (ResultSet rs = statement.executeQuery(
                "SELECT COUNT FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rseg_history_len'")) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
    }
}
