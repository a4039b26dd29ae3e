package io.salesync.branch.ui;

import io.salesync.branch.service.BranchEvents;
import io.salesync.branch.service.BranchServices;
import io.salesync.branch.service.SyncState;
import io.salesync.common.sale.TaxRate;
import io.salesync.desktop.DesktopApp;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.SwingUtilities;

/**
 * Opens the clerk's window and passes the branch's news to it on the event thread. Relay states
 * are coalesced: when several arrive before the window took the first, it gets only the latest.
 */
public final class BranchOfficeWindow implements BranchEvents {

    private final AtomicReference<SyncState> pendingState = new AtomicReference<>();
    private BranchOfficeFrame frame; // event thread only

    private BranchOfficeWindow() {}

    /**
     * Builds and shows the window on the event thread (theme, size and position as last time).
     *
     * @param onClosed run on the event thread once the clerk closed the window
     * @return where the branch reports to the window; callable from any thread
     */
    public static BranchEvents show(String branchId, TaxRate taxRate, Runnable onClosed) {
        return show(branchId, taxRate, null, onClosed);
    }

    /** @param brokerAddress the broker's host:port, for the sentences about it; null when unknown */
    public static BranchEvents show(String branchId, TaxRate taxRate, String brokerAddress, Runnable onClosed) {
        BranchOfficeWindow window = new BranchOfficeWindow();
        DesktopApp.start("branch-office-" + branchId, memory -> {
            window.frame = new BranchOfficeFrame(branchId, taxRate, memory, onClosed);
            if (brokerAddress != null) {
                window.frame.brokerAddress(brokerAddress);
            }
            return window.frame;
        });
        return window;
    }

    @Override
    public void databaseUnavailable(String sentence, Duration retryIn) {
        SwingUtilities.invokeLater(() -> frame.databaseUnavailable(sentence, retryIn));
    }

    @Override
    public void opened(BranchServices services) {
        SwingUtilities.invokeLater(() -> frame.opened(services));
    }

    @Override
    public void syncState(SyncState state) {
        if (pendingState.getAndSet(state) == null) {
            SwingUtilities.invokeLater(() -> frame.syncState(pendingState.getAndSet(null)));
        }
    }
}
