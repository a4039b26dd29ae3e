package io.salesync.headoffice.ui;

import io.salesync.common.EventThreadGuard;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.ChartPlan;
import io.salesync.headoffice.model.DailyTotal;
import io.salesync.headoffice.model.HeadOfficeProcess;
import io.salesync.headoffice.model.SaleRow;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.model.SalesPage;
import io.salesync.headoffice.model.SalesSnapshot;
import io.salesync.headoffice.model.SalesSort;
import io.salesync.headoffice.service.HeadOfficeServices;
import io.salesync.headoffice.service.SalesBrowser.FilterChoices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the window's queries off the event thread and hands the results back with invokeLater.
 *
 * <ul>
 *   <li>{@code ho-window-refresh}: one refresh at a time. First the totals and the pages in view, in
 *       one transaction (the table and totals update together), then the chart, the health panel,
 *       the head-office processes and the filter choices (read before the chart, whose lines depend on how many branches there are). A refresh asked for while one runs is remembered and run after it,
 *       merged with any other (coalescing).</li>
 *   <li>{@code ho-window-pages}: pages the table asks for while scrolling, newest request first,
 *       so that a fast scroll does not wait behind pages already scrolled past.</li>
 * </ul>
 *
 * Methods other than the background tasks run on the event thread.
 */
final class SalesRefresher {

    private static final Logger log = LoggerFactory.getLogger(SalesRefresher.class);
    /** Rows read at once for a fresh query, enough for a tall window. */
    private static final int FIRST_ROWS = 80;
    /** How often a live refresh redraws a chart that needs a scan of the sales table (product filter). */
    private static final long CHART_EVERY_NANOS = 10_000_000_000L;

    private final HeadOfficeFrame frame;
    private final ExecutorService refreshes = worker("ho-window-refresh", false);
    private final ExecutorService pages = worker("ho-window-pages", true);
    private HeadOfficeServices services;
    private boolean busy;
    private Boolean pending;
    private volatile long lastChartNanos;

    SalesRefresher(HeadOfficeFrame frame) {
        this.frame = frame;
    }

    void connect(HeadOfficeServices connected) {
        this.services = connected;
    }

    boolean busy() {
        return busy;
    }

    /** @param restart a new filter or sort order: start at the top with nothing selected */
    void refresh(boolean restart) {
        if (services == null) {
            return;
        }
        if (busy) {
            pending = pending == null ? restart : pending || restart;
            return;
        }
        busy = true;
        LazySalesTableModel model = frame.model();
        SalesFilter filter = frame.currentFilter();
        SalesSort sort = frame.currentSort();
        boolean reset =
                restart || !filter.equals(model.filter()) || !sort.equals(model.sort()) || model.generation() == 0;
        int[] rows = reset ? new int[] {0, FIRST_ROWS} : frame.salesPanel().visibleRows();
        List<Long> offsets = new ArrayList<>();
        for (long page = rows[0] / LazySalesTableModel.PAGE_SIZE;
                page <= rows[1] / LazySalesTableModel.PAGE_SIZE;
                page++) {
            offsets.add(page * LazySalesTableModel.PAGE_SIZE);
        }
        String selected = reset ? null : frame.salesPanel().selectedKey();
        long signal = frame.appliedSignal();
        HeadOfficeServices s = services;
        refreshes.execute(() -> refreshInBackground(s, filter, sort, offsets, reset, selected, signal));
    }

    private void refreshInBackground(
            HeadOfficeServices s,
            SalesFilter filter,
            SalesSort sort,
            List<Long> offsets,
            boolean reset,
            String selected,
            long signal) {
        try {
            SalesSnapshot snapshot = s.sales().snapshot(filter, sort, offsets, LazySalesTableModel.PAGE_SIZE);
            SwingUtilities.invokeLater(() -> showTable(filter, sort, snapshot, reset, selected));
            // With a product text the chart needs a scan of the sales table: at most every 10 s when live.
            boolean chart =
                    reset || filter.productText() == null || System.nanoTime() - lastChartNanos > CHART_EVERY_NANOS;
            FilterChoices choices = s.sales().filterChoices();
            ChartPlan plan = ChartPlan.of(choices.branches().size(), filter.branches());
            List<DailyTotal> daily = chart ? s.sales().chart(filter, plan) : null;
            if (chart) {
                lastChartNanos = System.nanoTime();
            }
            List<BranchHealth> health = s.health().branches();
            List<HeadOfficeProcess> processes = s.health().processes();
            Instant now = Instant.now();
            SwingUtilities.invokeLater(() -> {
                frame.sideRefreshed(health, daily, plan, choices.branches(), choices.regions(), now);
                frame.processesRefreshed(processes, now);
                finished(signal);
            });
        } catch (RuntimeException e) {
            log.warn("Refreshing the window failed: {}", e.getMessage());
            SwingUtilities.invokeLater(() -> {
                frame.readFailed(e.getMessage());
                finished(null);
            });
        }
    }

    private void showTable(SalesFilter filter, SalesSort sort, SalesSnapshot snapshot, boolean reset, String selected) {
        if (!filter.equals(frame.currentFilter()) || !sort.equals(frame.currentSort())) {
            return; // the manager changed the query meanwhile; the refresh for it follows
        }
        Map<Long, List<SaleRow>> loaded = new HashMap<>();
        for (SalesPage page : snapshot.pages()) {
            loaded.put(page.offset() / LazySalesTableModel.PAGE_SIZE, page.rows());
        }
        int count = (int) Math.min(Integer.MAX_VALUE, snapshot.totals().count());
        frame.model().replace(filter, sort, count, loaded, reset);
        if (reset) {
            frame.salesPanel().scrollToTop();
        } else {
            frame.salesPanel().reselect(selected);
        }
        frame.salesPanel().showTotals(snapshot.totals());
        frame.tableRefreshed();
    }

    private void finished(Long signal) {
        busy = false;
        if (signal != null) {
            frame.refreshedSignal(signal);
        }
        if (pending != null) {
            boolean restart = pending;
            pending = null;
            refresh(restart);
        }
    }

    /** Asked by the table model for a page it does not hold. */
    void loadPage(int generation, SalesFilter filter, SalesSort sort, long page) {
        HeadOfficeServices s = services;
        if (s == null) {
            return;
        }
        LazySalesTableModel model = frame.model();
        pages.execute(() -> {
            try {
                SalesPage loaded = s.sales()
                        .page(filter, sort, page * LazySalesTableModel.PAGE_SIZE, LazySalesTableModel.PAGE_SIZE);
                SwingUtilities.invokeLater(() -> model.pageLoaded(generation, page, loaded.rows()));
            } catch (RuntimeException e) {
                log.warn("Loading page {} failed: {}", page, e.getMessage());
                SwingUtilities.invokeLater(() -> {
                    model.pageFailed(generation, page);
                    frame.readFailed(e.getMessage());
                });
            }
        });
    }

    /** Lets a query in progress finish (its result is dropped with the window) and starts no other. */
    void close() {
        services = null;
        refreshes.shutdown();
        pages.shutdown();
    }

    /**
     * After {@link #close}, waits up to {@code max} for a query in progress, so that the pool is not
     * closed under it; returns at once while the window is open. Never on the event thread.
     */
    void awaitClosed(Duration max) throws InterruptedException {
        EventThreadGuard.requireOffEventThread("waiting for the window's queries");
        if (!refreshes.isShutdown()) {
            return;
        }
        long deadline = System.nanoTime() + max.toNanos();
        refreshes.awaitTermination(max.toNanos(), TimeUnit.NANOSECONDS);
        pages.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private static ExecutorService worker(String name, boolean newestFirst) {
        LinkedBlockingDeque<Runnable> queue = newestFirst
                ? new LinkedBlockingDeque<>() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public boolean offer(Runnable task) {
                        return offerFirst(task);
                    }
                }
                : new LinkedBlockingDeque<>();
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, queue, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
