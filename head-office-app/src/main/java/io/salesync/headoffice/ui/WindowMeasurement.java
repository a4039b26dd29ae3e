package io.salesync.headoffice.ui;

import io.salesync.headoffice.model.SalesFilter;
import java.util.concurrent.CompletableFuture;

/**
 * What the window benchmark ({@code ./salesync bench-window}, in the benchmark module) and the
 * window's tests ask of the head office window, and nothing the application itself uses: when the
 * figures shown are fresh, how many rows the table holds, and a filter chosen as the manager would.
 * Reached through {@link HeadOfficeWindow#measurement()}.
 *
 * <p>Every method may be called from any thread; the work is done on the event thread, and the
 * futures complete there.
 */
public interface WindowMeasurement {

    /** Completes when the table and totals next show fresh data (after a filter, or a live refresh). */
    CompletableFuture<Void> nextTableRefresh();

    /** Completes when the chart and the health panel next show fresh data too. */
    CompletableFuture<Void> nextFullRefresh();

    /** Pages of rows the table holds in memory now. */
    CompletableFuture<Integer> pagesHeld();

    /** Sets the filter widgets to a filter and applies it, as the manager would. */
    void applyFilter(SalesFilter filter);
}
