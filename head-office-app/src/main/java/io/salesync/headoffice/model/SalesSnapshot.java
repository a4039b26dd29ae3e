package io.salesync.headoffice.model;

import java.util.List;

/**
 * What the window shows for one filter, read in one transaction so that the totals, the row count
 * and the pages agree with each other.
 *
 * @param totals the sums and the row count of the filter
 * @param pages  the pages asked for, in the order asked
 */
public record SalesSnapshot(SalesTotals totals, List<SalesPage> pages) {

    public SalesSnapshot {
        pages = List.copyOf(pages);
    }
}
