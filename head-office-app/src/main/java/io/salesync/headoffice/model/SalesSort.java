package io.salesync.headoffice.model;

/**
 * The order of the table: one column, then branch and sale id so that the order is total and
 * pages never overlap or skip rows.
 */
public record SalesSort(SalesColumn column, boolean ascending) {

    /** Newest sales first. */
    public static final SalesSort DEFAULT = new SalesSort(SalesColumn.DATE, false);

    public SalesSort {
        if (column == null) {
            throw new IllegalArgumentException("a sort needs a column");
        }
    }
}
