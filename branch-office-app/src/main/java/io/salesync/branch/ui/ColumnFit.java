package io.salesync.branch.ui;

import java.awt.Component;
import java.awt.FontMetrics;
import java.util.List;
import javax.swing.JLabel;
import javax.swing.JTable;
import javax.swing.table.TableCellRenderer;
import javax.swing.table.TableColumn;

/**
 * Column widths from what the columns hold: the width the renderer needs for the widest value of a
 * column (and its header), so that a figure is never cut to "17,877....". Event thread only.
 */
final class ColumnFit {

    private ColumnFit() {}

    /**
     * The width the widest cell or the header of a view column needs, in pixels: the widest text
     * is picked by its string width, then measured through the renderer (borders and icon included).
     */
    static int contentWidth(JTable table, int viewColumn) {
        FontMetrics metrics = table.getFontMetrics(table.getFont());
        int widestRow = -1;
        int widest = -1;
        for (int row = 0; row < table.getRowCount(); row++) {
            Object value = table.getValueAt(row, viewColumn);
            Component cell = table.getCellRenderer(row, viewColumn)
                    .getTableCellRendererComponent(table, value, false, false, row, viewColumn);
            String text = cell instanceof JLabel label ? label.getText() : String.valueOf(value);
            int width = cell instanceof JLabel label
                    ? label.getFontMetrics(label.getFont()).stringWidth(text == null ? "" : text)
                    : metrics.stringWidth(text);
            if (width > widest) {
                widest = width;
                widestRow = row;
            }
        }
        int cell = widestRow < 0
                ? 0
                : table.prepareRenderer(table.getCellRenderer(widestRow, viewColumn), widestRow, viewColumn)
                        .getPreferredSize()
                        .width;
        return Math.max(cell, headerWidth(table, viewColumn)) + table.getIntercellSpacing().width + 2;
    }

    /** The width a column needs for each of the given texts, through the column's renderer. */
    static int contentWidth(JTable table, int viewColumn, List<String> texts) {
        int widest = headerWidth(table, viewColumn);
        TableCellRenderer renderer =
                table.getColumnModel().getColumn(viewColumn).getCellRenderer();
        if (renderer == null) {
            renderer = table.getDefaultRenderer(Object.class);
        }
        for (String text : texts) {
            Component cell = renderer.getTableCellRendererComponent(table, text, false, false, 0, viewColumn);
            widest = Math.max(widest, cell.getPreferredSize().width);
        }
        return widest + table.getIntercellSpacing().width + 2;
    }

    /** The sum of the minimum widths of the table's columns. */
    static int minimumWidth(JTable table) {
        int sum = 0;
        for (int i = 0; i < table.getColumnModel().getColumnCount(); i++) {
            sum += table.getColumnModel().getColumn(i).getMinWidth();
        }
        return sum;
    }

    private static int headerWidth(JTable table, int viewColumn) {
        if (table.getTableHeader() == null) {
            return 0;
        }
        TableColumn column = table.getColumnModel().getColumn(viewColumn);
        TableCellRenderer renderer = column.getHeaderRenderer() != null
                ? column.getHeaderRenderer()
                : table.getTableHeader().getDefaultRenderer();
        return renderer.getTableCellRendererComponent(table, column.getHeaderValue(), false, false, -1, viewColumn)
                .getPreferredSize()
                .width;
    }
}
