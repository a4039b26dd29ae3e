package io.salesync.branch.service;

import java.time.Duration;

/**
 * What a running branch office tells its window. Called from background threads; an implementation
 * hands the news to its own thread (the window: the Swing event thread) and returns at once.
 */
public interface BranchEvents {

    /** The branch database did not answer; the next attempt is in {@code retryIn}. */
    void databaseUnavailable(String sentence, Duration retryIn);

    /** The database answered: the services are ready and the relay is starting. */
    void opened(BranchServices services);

    /** The relay's view of the broker and the outbox changed. */
    void syncState(SyncState state);
}
