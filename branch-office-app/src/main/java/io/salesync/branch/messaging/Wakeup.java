package io.salesync.branch.messaging;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Where the relay thread waits for work, and how other threads wake it: a commit, a confirm, a
 * request. A wake-up that comes while the thread is busy is kept, so the next wait returns at once.
 */
final class Wakeup {

    private final Object lock = new Object();
    private boolean woken;

    /** Wakes the waiting thread, or the next wait. Any thread. */
    void signal() {
        synchronized (lock) {
            woken = true;
            lock.notifyAll();
        }
    }

    /** Waits until woken, at most {@code timeout}, unless {@code running} says stop. */
    void await(Duration timeout, BooleanSupplier running) throws InterruptedException {
        synchronized (lock) {
            if (!woken && running.getAsBoolean()) {
                lock.wait(Math.max(1, timeout.toMillis()));
            }
            woken = false;
        }
    }

    /**
     * Waits the whole {@code duration} whatever wakes it, unless {@code running} says stop; what
     * came meanwhile is looked at next.
     */
    void pause(Duration duration, BooleanSupplier running) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0 && running.getAsBoolean(); left = deadline - System.nanoTime()) {
            await(Duration.ofNanos(left), running);
        }
        signal();
    }
}
