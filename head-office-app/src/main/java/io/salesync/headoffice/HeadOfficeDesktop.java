package io.salesync.headoffice;

import io.salesync.common.db.OpenRetry;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.service.HeadOfficeServices;
import io.salesync.headoffice.ui.HeadOfficeWindow;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head office with its window: the window opens at once; a background thread opens the
 * aggregate database (retrying with backoff while it is down or refuses the head office's user,
 * and saying which in the window), then hands the services to the window and starts the consumer
 * in this process: nothing is consumed before the database answers as the head office's own user. Closing the window or
 * Ctrl-C stops the consumer (its batch in hand is redelivered if unacknowledged) and the pool.
 *
 * <p>View-only ({@link HeadOfficeConfig#viewOnly()}): the same window with no consumer and no
 * broker ({@link HeadOfficeView}); it waits the same way until the head office service has created
 * its tables, then refreshes whenever the database shows new changes.
 */
public final class HeadOfficeDesktop {

    static final String PREFERENCES = "head-office";
    /** How long stopping waits for a query the closed window had started before it closes the pool. */
    private static final Duration QUERIES_AFTER_CLOSE = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(HeadOfficeDesktop.class);

    private final HeadOfficeConfig config;
    private final AtomicReference<AutoCloseable> headOffice = new AtomicReference<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean stopping;
    private HeadOfficeWindow window;
    private Thread connector;

    private HeadOfficeDesktop(HeadOfficeConfig config) {
        this.config = config;
    }

    /** Runs until the window is closed or the process is stopped; returns the exit status. */
    public static int run(HeadOfficeConfig config) {
        log.info(
                "Head office {}window starting with configuration:\n{}",
                config.viewOnly() ? "view-only " : "",
                config.source().describe());
        HeadOfficeDesktop desktop = start(config, PREFERENCES);
        Runtime.getRuntime().addShutdownHook(new Thread(desktop::stop, "shutdown-head-office"));
        try {
            desktop.closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Opens the window and starts connecting in the background; returns at once. */
    public static HeadOfficeDesktop start(HeadOfficeConfig config, String preferences) {
        HeadOfficeDesktop desktop = new HeadOfficeDesktop(config);
        desktop.open(preferences);
        return desktop;
    }

    private void open(String preferences) {
        window = HeadOfficeWindow.open(preferences, closed::countDown);
        if (config.viewOnly()) {
            window.viewOnly();
        } else {
            window.brokerAddress(config.broker().hostAndPort());
        }
        connector = new Thread(config.viewOnly() ? this::connectToRead : this::connect, "ho-connect");
        connector.setDaemon(true);
        connector.start();
    }

    /** Opens the database, retrying 1 s, 2 s ... 15 s apart, then starts the consumer. */
    private void connect() {
        openThenStart(
                () -> HeadOffice.open(config, window::consumerStatus),
                HeadOffice::services,
                HeadOffice::startConsumer,
                "Aggregate database open; consuming");
    }

    /** View-only: opens the database to read, retrying like {@link #connect}, then watches it for changes. */
    private void connectToRead() {
        openThenStart(
                () -> HeadOfficeView.open(config),
                HeadOfficeView::services,
                opened -> opened.startWatch(window::databaseChanges),
                "Aggregate database open to read; refreshing every "
                        + config.viewPoll().toMillis() + " ms when it changes");
    }

    /**
     * Opens, retrying until it works or the desktop stops (the window stays open and says why: a
     * password, a database or a right can be fixed on the server meanwhile), then hands the services
     * to the window and starts; closes what it opened when the desktop stopped meanwhile.
     */
    private <T extends AutoCloseable> void openThenStart(
            OpenRetry.Attempt<T> attempt, Function<T, HeadOfficeServices> services, Consumer<T> start, String started) {
        try {
            T opened = OpenRetry.open(
                    attempt,
                    failure -> false,
                    (failure, next) -> {
                        log.warn("{} Retrying in {} s.", failure.getMessage(), next.toSeconds());
                        window.databaseUnavailable(failure.getMessage());
                    },
                    () -> !stopping);
            if (opened == null) {
                return;
            }
            synchronized (this) {
                if (stopping) {
                    closeQuietly(opened);
                    return;
                }
                headOffice.set(opened);
                window.connected(services.apply(opened));
                start.accept(opened);
            }
            log.info(started);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the consumer (or the watch) and closes the pool; safe to call more than once. */
    public void stop() {
        AutoCloseable opened;
        synchronized (this) {
            stopping = true;
            opened = headOffice.getAndSet(null);
        }
        if (connector != null) {
            connector.interrupt();
        }
        if (opened != null) {
            log.info("Head office stopping");
            try {
                window.awaitQueriesAfterClose(QUERIES_AFTER_CLOSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(opened);
        }
        closed.countDown();
    }

    private static void closeQuietly(AutoCloseable opened) {
        try {
            opened.close();
        } catch (Exception e) {
            log.warn("Closing the head office failed: {}", e.getMessage());
        }
    }
}
