package io.salesync.branch;

import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.messaging.RelayStatus;
import io.salesync.branch.service.BranchEvents;
import io.salesync.branch.service.SyncState;
import io.salesync.branch.ui.BranchOfficeWindow;
import io.salesync.common.db.OpenRetry;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The branch office with its window: the window opens at once, the database is opened in the
 * background (retried with backoff while it does not answer, the window saying why), then the relay
 * runs in this process and reports to the window's status bar. Closing the window stops the relay,
 * closes the pool and runs {@code afterClose}.
 */
public final class BranchOfficeDesktop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BranchOfficeDesktop.class);

    private final BranchConfig config;
    private final Runnable afterClose;
    private final Object lock = new Object();
    private final Thread opener;
    private BranchEvents window;
    private BranchOffice branch;
    private boolean closed;

    private BranchOfficeDesktop(BranchConfig config, Runnable afterClose) {
        this.config = config;
        this.afterClose = afterClose;
        this.opener = new Thread(this::openWaitingForDatabase, "branch-open-" + config.branchId());
    }

    /**
     * Opens the window and starts connecting.
     *
     * @param afterClose run (on a background thread) once the window was closed and everything stopped
     */
    public static BranchOfficeDesktop start(BranchConfig config, Runnable afterClose) {
        BranchOfficeDesktop desktop = new BranchOfficeDesktop(config, afterClose);
        desktop.window = BranchOfficeWindow.show(
                config.branchId(), config.taxRate(), config.broker().hostAndPort(), desktop::closeRequested);
        desktop.window.syncState(SyncState.offline(Instant.now()));
        desktop.opener.start();
        return desktop;
    }

    /** Stops the relay and closes the pool; the window is not touched. Idempotent. */
    @Override
    public void close() {
        BranchOffice open;
        synchronized (lock) {
            closed = true;
            open = branch;
            branch = null;
        }
        opener.interrupt();
        if (open != null) {
            open.close();
            log.info("Branch {} closed", config.branchId());
        }
    }

    private void closeRequested() {
        Thread shutdown = new Thread(
                () -> {
                    close();
                    afterClose.run();
                },
                "close-branch-" + config.branchId());
        shutdown.start();
    }

    private void openWaitingForDatabase() {
        try {
            // the window stays open and keeps trying: a password, a database or a right can be fixed on the server
            // meanwhile
            BranchOffice opened = OpenRetry.open(
                    () -> BranchOffice.open(config, status -> window.syncState(toSyncState(status))), failure -> false,
                    (failure, next) -> {
                                log.warn(
                                        "{} Sales cannot be saved until {}; retrying in {} s.",
                                        failure.getMessage(),
                                        failure.kind().configuration() ? "this is fixed" : "it answers",
                                        next.toSeconds());
                                window.databaseUnavailable(failure.getMessage(), next);
                            },
                            () -> !isClosed());
            if (opened == null) {
                return;
            }
            synchronized (lock) {
                if (closed) {
                    opened.close();
                    return;
                }
                branch = opened;
            }
            log.info("Branch {} database answers; starting the relay", config.branchId());
            window.opened(opened.services());
            opened.startRelay();
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** The relay's status in the window's terms. */
    static SyncState toSyncState(RelayStatus status) {
        SyncState.Broker broker = switch (status.broker()) {
            case STARTING -> SyncState.Broker.CONNECTING;
            case CONNECTED -> SyncState.Broker.CONNECTED;
            case RECONNECTING -> SyncState.Broker.RECONNECTING;
            case NO_QUEUE -> SyncState.Broker.NO_QUEUE;
            case STANDBY -> SyncState.Broker.STANDBY;
            case STOPPED -> SyncState.Broker.OFFLINE;
        };
        return new SyncState(
                broker,
                status.brokerDetail(),
                status.brokerSince(),
                status.backlog(),
                status.lastConfirmedAt(),
                status.lastConfirmedSeq(),
                status.databaseProblem());
    }
}
