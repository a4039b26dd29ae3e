package io.salesync.headoffice.model;

import java.util.List;

/** Rows {@code offset} to {@code offset + rows.size() - 1} of a filter in a sort order. */
public record SalesPage(long offset, List<SaleRow> rows) {

    public SalesPage {
        rows = List.copyOf(rows);
    }
}
