package io.salesync.bench.window;

import java.awt.AWTEvent;
import java.awt.EventQueue;
import java.awt.Toolkit;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.swing.SwingUtilities;

/**
 * Measures how long the Swing event thread keeps the window from reacting: every 10 ms a heartbeat
 * is posted with invokeLater and the delay until it runs is recorded. The worst delay is the longest
 * stall a person would have felt. Every event the event thread dispatches is timed too, to name the
 * slowest. Its thread: {@code edt-probe}.
 */
final class EventThreadProbe implements AutoCloseable {

    private static final long PERIOD_MS = 10;

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "edt-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong worstNanos = new AtomicLong();
    private final AtomicLong beats = new AtomicLong();
    private final AtomicLong slowestEventNanos = new AtomicLong();
    private volatile String slowestEvent = "none";

    private EventThreadProbe() {}

    static EventThreadProbe start() {
        EventThreadProbe probe = new EventThreadProbe();
        Toolkit.getDefaultToolkit().getSystemEventQueue().push(probe.new TimingQueue());
        probe.ticker.scheduleAtFixedRate(probe::beat, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
        return probe;
    }

    private void beat() {
        long posted = System.nanoTime();
        SwingUtilities.invokeLater(() -> {
            long delay = System.nanoTime() - posted;
            worstNanos.accumulateAndGet(delay, Math::max);
            beats.incrementAndGet();
        });
    }

    /** The longest delay seen so far, in milliseconds. */
    double worstMillis() {
        return worstNanos.get() / 1e6;
    }

    long beats() {
        return beats.get();
    }

    void reset() {
        worstNanos.set(0);
        beats.set(0);
        slowestEventNanos.set(0);
        slowestEvent = "none";
    }

    /** The event that took longest to dispatch, and how long, for finding what stalls the window. */
    String slowestEvent() {
        return String.format(Locale.ROOT, "%.1f ms: %s", slowestEventNanos.get() / 1e6, slowestEvent);
    }

    /** Times every event the event thread dispatches. */
    private final class TimingQueue extends EventQueue {

        @Override
        protected void dispatchEvent(AWTEvent event) {
            long start = System.nanoTime();
            try {
                super.dispatchEvent(event);
            } finally {
                long took = System.nanoTime() - start;
                if (took > slowestEventNanos.get()) {
                    slowestEventNanos.set(took);
                    String text = event.toString();
                    slowestEvent = text.length() > 300 ? text.substring(0, 300) : text;
                }
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
