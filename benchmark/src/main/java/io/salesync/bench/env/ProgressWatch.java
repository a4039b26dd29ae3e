package io.salesync.bench.env;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches what the head office has committed: polls its {@code branch_progress} table (written in
 * the same transaction as the sales) every {@code interval} and notes, per branch, when each new
 * highest sequence number became visible ({@link System#nanoTime()}). A branch's changes are applied
 * in sequence order, so "last_seq reached n" means changes 1..n are committed at the head office.
 *
 * <p>The time a change is seen lags its commit by at most one interval plus one query.
 */
public final class ProgressWatch implements AutoCloseable {

    private final String url;
    private final String user;
    private final String password;
    private final long intervalNanos;
    private final Map<String, Series> series = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long polls;
    private volatile long pollNanosTotal;
    private volatile long firstProgressNanos;

    /** The moments one branch's highest applied sequence number grew. Written by the watch thread only. */
    private static final class Series {
        private long[] seqs = new long[64];
        private long[] nanos = new long[64];
        private volatile int size;

        void add(long seq, long at) {
            if (size == seqs.length) {
                seqs = Arrays.copyOf(seqs, size * 2);
                nanos = Arrays.copyOf(nanos, size * 2);
            }
            seqs[size] = seq;
            nanos[size] = at;
            size++;
        }

        long last() {
            int n = size;
            return n == 0 ? 0 : seqs[n - 1];
        }

        /** The first moment the highest sequence was at least {@code seq}, or -1. */
        long firstAtLeast(long seq) {
            int n = size;
            int index = Arrays.binarySearch(seqs, 0, n, seq);
            if (index < 0) {
                index = -index - 1;
            }
            return index < n ? nanos[index] : -1;
        }
    }

    public ProgressWatch(String url, String user, String password, Duration interval) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.intervalNanos = interval.toNanos();
        this.thread = new Thread(this::poll, "bench-progress-watch");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void poll() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, user, password);
                    PreparedStatement statement =
                            connection.prepareStatement("SELECT branch_id, last_seq FROM branch_progress")) {
                while (running) {
                    long start = System.nanoTime();
                    try (ResultSet rs = statement.executeQuery()) {
                        long seen = System.nanoTime();
                        while (rs.next()) {
                            Series s = series.computeIfAbsent(rs.getString(1), id -> new Series());
                            long seq = rs.getLong(2);
                            if (seq > s.last()) {
                                s.add(seq, seen);
                                if (firstProgressNanos == 0) {
                                    firstProgressNanos = seen;
                                }
                            }
                        }
                    }
                    long took = System.nanoTime() - start;
                    polls++;
                    pollNanosTotal += took;
                    if (took < intervalNanos) {
                        LockSupport.parkNanos(intervalNanos - took);
                    }
                }
            } catch (SQLException e) {
                // the head office has not created its tables yet, or the server blinked: look again shortly
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
    }

    /** Highest sequence number the head office has committed for a branch (0 when none). */
    public long lastSeq(String branchId) {
        Series s = series.get(branchId);
        return s == null ? 0 : s.last();
    }

    /** When the head office's committed sequence for the branch first reached {@code seq}, or -1. */
    public long seenAt(String branchId, long seq) {
        Series s = series.get(branchId);
        return s == null ? -1 : s.firstAtLeast(seq);
    }

    /** When the first change of any branch was seen applied, or 0. */
    public long firstProgressNanos() {
        return firstProgressNanos;
    }

    /** Sum of the last sequence numbers seen: changes applied when each branch started from 1. */
    public long totalApplied() {
        return series.values().stream().mapToLong(Series::last).sum();
    }

    /** True when every branch has reached its target sequence. */
    public boolean reached(Map<String, Long> targets) {
        return targets.entrySet().stream().allMatch(target -> lastSeq(target.getKey()) >= target.getValue());
    }

    /** Waits until every branch reached its target; the time it was seen, or -1 after the timeout. */
    public long awaitReached(Map<String, Long> targets, Duration timeout, Runnable whileWaiting)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (reached(targets)) {
                return targets.entrySet().stream()
                        .mapToLong(target -> seenAt(target.getKey(), target.getValue()))
                        .max()
                        .orElse(0);
            }
            whileWaiting.run();
            Thread.sleep(Math.max(1, Math.min(20, intervalNanos / 1_000_000)));
        }
        return -1;
    }

    /** Mean time one poll took, in milliseconds. */
    public double meanPollMillis() {
        long n = polls;
        return n == 0 ? 0 : pollNanosTotal / 1e6 / n;
    }

    public double intervalMillis() {
        return intervalNanos / 1e6;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
