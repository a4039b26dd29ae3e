package io.salesync.branch.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window's one thread for database work ({@code branch-ui-<id>}): jobs run in the order given,
 * so a refresh started after a save sees it; results and failures come back on the event thread.
 */
final class BackgroundTasks {

    private static final Logger log = LoggerFactory.getLogger(BackgroundTasks.class);

    private final ExecutorService executor;

    BackgroundTasks(String branchId) {
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "branch-ui-" + branchId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Runs {@code work} off the event thread, then {@code done} or {@code failed} on it.
     *
     * @param what for the log, for example "save a sale"
     */
    <T> void run(String what, Callable<T> work, Consumer<T> done, Consumer<Exception> failed) {
        try {
            executor.execute(() -> {
                try {
                    T result = work.call();
                    SwingUtilities.invokeLater(() -> done.accept(result));
                } catch (Exception e) {
                    log.debug("Background job '{}' failed: {}", what, e.getMessage());
                    SwingUtilities.invokeLater(() -> failed.accept(e));
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("Window closing; '{}' not run", what);
        }
    }

    /** Lets the running job finish and runs nothing more. Does not wait. */
    void shutdown() {
        executor.shutdown();
    }
}
