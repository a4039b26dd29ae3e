package io.salesync.branch.ui;

import java.awt.Component;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Point;
import java.math.BigDecimal;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.ScrollPaneConstants;
import javax.swing.SwingConstants;
import javax.swing.table.AbstractTableModel;
import javax.swing.table.DefaultTableCellRenderer;
import javax.swing.table.TableColumnModel;

/**
 * The totals row under the sales table: the count and the sums of Qty, Amt, Tax and Total over the
 * rows shown, bold, with the caption "Total" where the Sync column is. Its columns follow the sales
 * table's widths and its sideways scroll; it has columns of its own, because sharing one column
 * model between two tables makes them resize each other without end. Event thread only.
 */
final class TotalsRow {

    private final TotalsModel model = new TotalsModel();
    private final JTable table = new JTable(model);
    private final JLabel caption = new JLabel("Total");
    private final JScrollPane scroll;

    TotalsRow() {
        table.setName("totals");
        table.removeColumn(table.getColumnModel().getColumn(SalesTableModel.SYNC));
        table.setTableHeader(null);
        table.setAutoResizeMode(JTable.AUTO_RESIZE_OFF);
        table.setFocusable(false);
        table.setRowSelectionAllowed(false);
        table.setDefaultRenderer(Object.class, new TotalsRenderer());
        scroll = new JScrollPane(
                table, ScrollPaneConstants.VERTICAL_SCROLLBAR_NEVER, ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
        scroll.setName("totalsScroll");
        caption.setName("totalsCaption");
        caption.setBorder(BorderFactory.createEmptyBorder(0, 6, 0, 6));
        scroll.setRowHeaderView(caption);
    }

    /** What goes under the sales table. */
    JScrollPane component() {
        return scroll;
    }

    /** The row's table, for the widths its values need. */
    JTable table() {
        return table;
    }

    void show(int count, long qty, BigDecimal amt, BigDecimal tax, BigDecimal total) {
        model.set(count, qty, amt, tax, total);
    }

    /** The caption bold again after a theme change. */
    void restyle() {
        caption.setFont(caption.getFont().deriveFont(Font.BOLD));
    }

    /** The caption as wide as the Sync column beside the table's rows, and one row high. */
    void fitCaption(int syncWidth) {
        caption.setPreferredSize(new Dimension(syncWidth, table.getRowHeight()));
        table.setPreferredScrollableViewportSize(new Dimension(10, table.getRowHeight()));
    }

    /** Takes the sales table's column widths and its width. */
    void follow(TableColumnModel source, int width) {
        TableColumnModel target = table.getColumnModel();
        for (int i = 0; i < source.getColumnCount() && i < target.getColumnCount(); i++) {
            int columnWidth = source.getColumn(i).getWidth();
            if (target.getColumn(i).getWidth() != columnWidth) {
                target.getColumn(i).setMinWidth(0);
                target.getColumn(i).setPreferredWidth(columnWidth);
                target.getColumn(i).setWidth(columnWidth);
            }
        }
        Dimension size = new Dimension(width, table.getRowHeight());
        if (!size.equals(table.getPreferredSize())) {
            table.setPreferredSize(size);
            table.revalidate();
        }
    }

    /** Scrolls sideways to where the sales table is. */
    void scrollTo(int x) {
        if (scroll.getViewport().getViewPosition().x != x) {
            scroll.getViewport().setViewPosition(new Point(x, 0));
        }
    }

    private static boolean isNumber(int modelColumn) {
        return modelColumn == SalesTableModel.QTY
                || modelColumn >= SalesTableModel.COST && modelColumn <= SalesTableModel.TOTAL;
    }

    /** One row: the count and the sums of Qty, Amt, Tax and Total over the rows shown. */
    private static final class TotalsModel extends AbstractTableModel {

        private final Object[] values = new Object[SalesTableModel.COLUMNS.length];

        void set(int count, long qty, BigDecimal amt, BigDecimal tax, BigDecimal total) {
            values[SalesTableModel.DATE] = String.format("%,d sale%s", count, count == 1 ? "" : "s");
            values[SalesTableModel.QTY] = String.format("%,d", qty);
            values[SalesTableModel.AMT] = Formats.money(amt);
            values[SalesTableModel.TAX] = Formats.money(tax);
            values[SalesTableModel.TOTAL] = Formats.money(total);
            fireTableRowsUpdated(0, 0);
        }

        @Override
        public int getRowCount() {
            return 1;
        }

        @Override
        public int getColumnCount() {
            return values.length;
        }

        @Override
        public Object getValueAt(int row, int column) {
            return values[column];
        }
    }

    private static final class TotalsRenderer extends DefaultTableCellRenderer {

        @Override
        public Component getTableCellRendererComponent(
                JTable table, Object value, boolean selected, boolean focused, int row, int column) {
            super.getTableCellRendererComponent(table, value, false, false, row, column);
            setFont(getFont().deriveFont(Font.BOLD));
            setHorizontalAlignment(
                    isNumber(table.convertColumnIndexToModel(column)) ? SwingConstants.RIGHT : SwingConstants.LEFT);
            return this;
        }
    }
}
