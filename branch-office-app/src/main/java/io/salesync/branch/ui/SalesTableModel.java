package io.salesync.branch.ui;

import io.salesync.branch.service.SaleRow;
import io.salesync.common.sale.Sale;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import javax.swing.table.AbstractTableModel;

/** The branch's sales as table rows: Date, Region, Product, Qty, Cost, Amt, Tax, Total, Sync. */
final class SalesTableModel extends AbstractTableModel {

    static final String[] COLUMNS = {"Date", "Region", "Product", "Qty", "Cost", "Amt", "Tax", "Total", "Sync"};
    static final int DATE = 0;
    static final int REGION = 1;
    static final int PRODUCT = 2;
    static final int QTY = 3;
    static final int COST = 4;
    static final int AMT = 5;
    static final int TAX = 6;
    static final int TOTAL = 7;
    static final int SYNC = 8;

    private List<SaleRow> rows = List.of();

    void setRows(List<SaleRow> rows) {
        this.rows = List.copyOf(rows);
        fireTableDataChanged();
    }

    SaleRow row(int modelIndex) {
        return rows.get(modelIndex);
    }

    /** The model index of the sale, or -1. */
    int indexOf(UUID id) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).sale().id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int getRowCount() {
        return rows.size();
    }

    @Override
    public int getColumnCount() {
        return COLUMNS.length;
    }

    @Override
    public String getColumnName(int column) {
        return COLUMNS[column];
    }

    @Override
    public Class<?> getColumnClass(int column) {
        return switch (column) {
            case DATE -> LocalDate.class;
            case QTY -> Integer.class;
            case COST, AMT, TAX, TOTAL -> BigDecimal.class;
            default -> String.class;
        };
    }

    @Override
    public Object getValueAt(int rowIndex, int column) {
        SaleRow row = rows.get(rowIndex);
        Sale sale = row.sale();
        return switch (column) {
            case DATE -> sale.date();
            case REGION -> sale.region();
            case PRODUCT -> sale.product();
            case QTY -> sale.qty();
            case COST -> sale.cost();
            case AMT -> sale.amt();
            case TAX -> sale.tax();
            case TOTAL -> sale.total();
            default -> row.syncText();
        };
    }
}
