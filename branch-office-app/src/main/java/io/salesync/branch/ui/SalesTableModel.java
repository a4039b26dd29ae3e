package io.salesync.branch.ui;

import io.salesync.branch.service.SaleRow;
import io.salesync.common.sale.Sale;
import io.salesync.desktop.ListTableModel;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** The branch's sales as table rows: Date, Region, Product, Qty, Cost, Amt, Tax, Total, Sync. */
final class SalesTableModel extends ListTableModel<SaleRow> {

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

    private static final long serialVersionUID = 1L;

    SalesTableModel() {
        super(COLUMNS);
    }

    /** The model index of the sale, or -1. */
    int indexOf(UUID id) {
        List<SaleRow> rows = rows();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).sale().id().equals(id)) {
                return i;
            }
        }
        return -1;
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
    protected Object valueAt(SaleRow row, int column) {
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
