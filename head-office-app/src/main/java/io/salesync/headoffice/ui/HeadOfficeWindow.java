package io.salesync.headoffice.ui;

import io.salesync.desktop.DesktopApp;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.service.ConsumerStatus;
import io.salesync.headoffice.service.HeadOfficeServices;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.swing.SwingUtilities;

/**
 * The head office window as the rest of the application sees it: every method may be called from
 * any thread and hands its work to the event thread. Consumer status updates are coalesced, so a
 * consumer reporting thousands of batches never floods the event queue.
 */
public final class HeadOfficeWindow {

    private final AtomicReference<ConsumerStatus> latestStatus = new AtomicReference<>();
    private final AtomicBoolean statusScheduled = new AtomicBoolean();
    private volatile HeadOfficeFrame frame;

    private HeadOfficeWindow() {}

    /**
     * Opens the window (theme and bounds remembered under {@code preferencesName}).
     *
     * @param onClosed run on the event thread after the manager closed the window
     */
    public static HeadOfficeWindow open(String preferencesName, Runnable onClosed) {
        HeadOfficeWindow window = new HeadOfficeWindow();
        DesktopApp.start(preferencesName, memory -> {
            window.frame = new HeadOfficeFrame(memory, onClosed);
            return window.frame;
        });
        return window;
    }

    /** The broker's host:port, so that the window can say where it is trying to connect. */
    public void brokerAddress(String address) {
        later(frame -> frame.brokerAddress(address));
    }

    /** A window that only reads: no consumer will report; say so instead of "connecting" to a broker. */
    public void viewOnly() {
        later(HeadOfficeFrame::viewOnly);
    }

    /**
     * What a view-only window's watch of the database saw: a number that grows with each change
     * the consuming head office made, and a sentence while the database does not answer.
     */
    public void databaseChanges(long changes, String databaseProblem) {
        later(frame -> frame.databaseChanges(changes, databaseProblem));
    }

    public void databaseUnavailable(String sentence) {
        later(frame -> frame.databaseUnavailable(sentence));
    }

    public void connected(HeadOfficeServices services) {
        later(frame -> frame.connect(services));
    }

    public void consumerStatus(ConsumerStatus status) {
        latestStatus.set(status);
        if (!statusScheduled.getAndSet(true)) {
            later(frame -> {
                statusScheduled.set(false);
                frame.showConsumerStatus(latestStatus.get());
            });
        }
    }

    public void close() {
        later(HeadOfficeFrame::close);
    }

    /**
     * Once the window is closed, waits up to {@code max} for a query it had started, so that the
     * database can be closed without breaking it; returns at once while the window is open. Call it
     * off the event thread, before closing the head office's pool.
     */
    public void awaitQueriesAfterClose(Duration max) throws InterruptedException {
        HeadOfficeFrame shown = frame;
        if (shown != null) {
            shown.awaitQueriesAfterClose(max);
        }
    }

    /** What the window benchmark and tests may ask of this window; the application does not use it. */
    public WindowMeasurement measurement() {
        return new Measurement();
    }

    HeadOfficeFrame frame() {
        return frame;
    }

    /** Runs on the event thread once the frame exists (it is built by an event queued before). */
    private void later(Consumer<HeadOfficeFrame> action) {
        SwingUtilities.invokeLater(() -> {
            if (frame != null) {
                action.accept(frame);
            }
        });
    }

    /** The measurement surface, on the frame's own methods for it. */
    private final class Measurement implements WindowMeasurement {

        @Override
        public CompletableFuture<Void> nextTableRefresh() {
            CompletableFuture<Void> result = new CompletableFuture<>();
            later(frame -> frame.whenTableRefreshed().whenComplete((ignored, error) -> result.complete(null)));
            return result;
        }

        @Override
        public CompletableFuture<Void> nextFullRefresh() {
            CompletableFuture<Void> result = new CompletableFuture<>();
            later(frame -> frame.whenFullyRefreshed().whenComplete((ignored, error) -> result.complete(null)));
            return result;
        }

        @Override
        public CompletableFuture<Integer> pagesHeld() {
            CompletableFuture<Integer> result = new CompletableFuture<>();
            later(frame -> result.complete(frame.model().pagesHeld()));
            return result;
        }

        @Override
        public void applyFilter(SalesFilter filter) {
            later(frame -> frame.applyFilter(filter));
        }
    }
}
