package io.salesync.common.db;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Opens what needs the database (an application's pools and migrations), waiting while it does not
 * answer: 1 s, then twice as long after each failure, at most 15 s. Both applications, with or
 * without a window, open their database this way.
 */
public final class OpenRetry {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration LONGEST = Duration.ofSeconds(15);

    /** One attempt. */
    @FunctionalInterface
    public interface Attempt<T> {
        T open() throws StorageException;
    }

    /** Told each failure, and how long until the next attempt. */
    @FunctionalInterface
    public interface Failed {
        void failed(StorageException failure, Duration nextAttemptIn);
    }

    private OpenRetry() {}

    /**
     * @param giveUp     failures not worth waiting out: rethrown at once
     * @param keepTrying asked before each attempt and pause; false stops
     * @return what opened, or null when told to stop first
     * @throws StorageException     a failure {@code giveUp} chose
     * @throws InterruptedException while waiting
     */
    public static <T> T open(
            Attempt<T> attempt, Predicate<StorageException> giveUp, Failed failed, BooleanSupplier keepTrying)
            throws InterruptedException {
        Duration pause = FIRST;
        while (keepTrying.getAsBoolean()) {
            try {
                return attempt.open();
            } catch (StorageException e) {
                if (giveUp.test(e)) {
                    throw e;
                }
                failed.failed(e, pause);
                Thread.sleep(pause.toMillis());
                Duration doubled = pause.multipliedBy(2);
                pause = doubled.compareTo(LONGEST) > 0 ? LONGEST : doubled;
            }
        }
        return null;
    }
}
