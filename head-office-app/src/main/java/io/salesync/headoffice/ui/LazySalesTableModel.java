package io.salesync.headoffice.ui;

import io.salesync.headoffice.model.SaleRow;
import io.salesync.headoffice.model.SalesColumn;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.model.SalesSort;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import javax.swing.table.AbstractTableModel;

/**
 * The consolidated sales as a table model that holds only a few pages: the row count comes from
 * the database, a page of {@link #PAGE_SIZE} rows is asked for when a cell of it is first painted
 * (the cell stays empty until it arrives), and at most {@link #MAX_PAGES} pages are kept, least
 * recently used first out. Each refresh starts a new generation; pages of an older one are dropped.
 *
 * <p>Event thread only.
 */
final class LazySalesTableModel extends AbstractTableModel {

    static final int PAGE_SIZE = 200;
    static final int MAX_PAGES = 40;

    private static final long serialVersionUID = 1L;

    /** Loads a page in the background and hands it to {@link #pageLoaded} on the event thread. */
    @FunctionalInterface
    interface PageLoader {
        void load(int generation, SalesFilter filter, SalesSort sort, long page);
    }

    private final transient PageLoader loader;
    private final Map<Long, List<SaleRow>> pages = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, List<SaleRow>> eldest) {
            return size() > MAX_PAGES;
        }
    };
    private final Set<Long> loading = new HashSet<>();
    private transient SalesFilter filter = SalesFilter.ALL;
    private transient SalesSort sort = SalesSort.DEFAULT;
    private int rowCount;
    private int generation;

    LazySalesTableModel(PageLoader loader) {
        this.loader = loader;
    }

    SalesFilter filter() {
        return filter;
    }

    SalesSort sort() {
        return sort;
    }

    int generation() {
        return generation;
    }

    @Override
    public int getRowCount() {
        return rowCount;
    }

    @Override
    public int getColumnCount() {
        return SalesColumn.values().length;
    }

    @Override
    public String getColumnName(int column) {
        return SalesColumn.values()[column].label();
    }

    @Override
    public Class<?> getColumnClass(int column) {
        return switch (SalesColumn.values()[column]) {
            case DATE -> LocalDate.class;
            case QTY -> Integer.class;
            case COST, AMT, TAX, TOTAL -> BigDecimal.class;
            default -> String.class;
        };
    }

    @Override
    public Object getValueAt(int row, int column) {
        SaleRow sale = rowAt(row);
        return sale == null ? null : sale.value(SalesColumn.values()[column]);
    }

    /** The sale at a row, or null while its page is loading (the page is asked for). */
    SaleRow rowAt(int row) {
        if (row < 0 || row >= rowCount) {
            return null;
        }
        long page = row / PAGE_SIZE;
        List<SaleRow> rows = pages.get(page);
        if (rows == null) {
            if (loading.add(page)) {
                loader.load(generation, filter, sort, page);
            }
            return null;
        }
        int index = (int) (row - page * PAGE_SIZE);
        return index < rows.size() ? rows.get(index) : null;
    }

    /** A page arrived; ignored when a refresh happened since it was asked for. */
    void pageLoaded(int forGeneration, long page, List<SaleRow> rows) {
        if (forGeneration != generation) {
            return;
        }
        loading.remove(page);
        pages.put(page, rows);
        int first = (int) (page * PAGE_SIZE);
        int last = Math.min(rowCount, first + PAGE_SIZE) - 1;
        if (last >= first) {
            fireTableRowsUpdated(first, last);
        }
    }

    /** A page could not be loaded; it is asked for again the next time it is painted. */
    void pageFailed(int forGeneration, long page) {
        if (forGeneration == generation) {
            loading.remove(page);
        }
    }

    /**
     * Shows a new state of the data: the row count and the pages read with it.
     *
     * @param restart true for a new filter or sort order (everything changed: selection is cleared),
     *                false for a live refresh of the same query (rows are updated in place and only
     *                the tail grows or shrinks, so the table keeps its selection and scroll position)
     */
    void replace(
            SalesFilter newFilter,
            SalesSort newSort,
            int newRowCount,
            Map<Long, List<SaleRow>> newPages,
            boolean restart) {
        generation++;
        filter = newFilter;
        sort = newSort;
        pages.clear();
        loading.clear();
        pages.putAll(newPages);
        int old = rowCount;
        rowCount = newRowCount;
        if (restart) {
            fireTableDataChanged();
            return;
        }
        if (newRowCount > old) {
            fireTableRowsInserted(old, newRowCount - 1);
        } else if (newRowCount < old) {
            fireTableRowsDeleted(newRowCount, old - 1);
        }
        int common = Math.min(old, newRowCount);
        if (common > 0) {
            fireTableRowsUpdated(0, common - 1);
        }
    }

    /** The row of a sale among the pages in memory. */
    OptionalInt rowOf(String branchId, String saleId) {
        for (Map.Entry<Long, List<SaleRow>> entry : pages.entrySet()) {
            List<SaleRow> rows = entry.getValue();
            for (int i = 0; i < rows.size(); i++) {
                SaleRow row = rows.get(i);
                if (row.branchId().equals(branchId) && row.saleId().equals(saleId)) {
                    return OptionalInt.of((int) (entry.getKey() * PAGE_SIZE + i));
                }
            }
        }
        return OptionalInt.empty();
    }

    /** How many pages are held (for tests and the benchmark). */
    int pagesHeld() {
        return pages.size();
    }
}
