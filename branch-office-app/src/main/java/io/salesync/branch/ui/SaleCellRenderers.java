package io.salesync.branch.ui;

import java.awt.Component;
import java.math.BigDecimal;
import javax.swing.JTable;
import javax.swing.SwingConstants;
import javax.swing.table.DefaultTableCellRenderer;

/** How the sales table draws each kind of value: money, text, whole numbers and the sync state. Event thread only. */
final class SaleCellRenderers {

    private SaleCellRenderers() {}

    /** Money right-aligned with two decimals. */
    static final class MoneyRenderer extends DefaultTableCellRenderer {

        MoneyRenderer() {
            setHorizontalAlignment(SwingConstants.RIGHT);
        }

        @Override
        protected void setValue(Object value) {
            setText(value instanceof BigDecimal amount ? Formats.money(amount) : value == null ? "" : value.toString());
        }
    }

    /** Text, its whole value in the tooltip when the column is too narrow for it. */
    static final class TextRenderer extends DefaultTableCellRenderer {

        @Override
        public Component getTableCellRendererComponent(
                JTable table, Object value, boolean selected, boolean focused, int row, int column) {
            super.getTableCellRendererComponent(table, value, selected, focused, row, column);
            boolean cut = getPreferredSize().width
                    > table.getColumnModel().getColumn(column).getWidth();
            setToolTipText(cut ? getText() : null);
            return this;
        }
    }

    /** Whole numbers right-aligned, with thousands grouped. */
    static final class NumberRenderer extends DefaultTableCellRenderer {

        NumberRenderer() {
            setHorizontalAlignment(SwingConstants.RIGHT);
        }

        @Override
        protected void setValue(Object value) {
            setText(value instanceof Number number ? String.format("%,d", number.longValue()) : "");
        }
    }

    /**
     * pending (amber dot), synced (green dot) or failed (red dot and text), the reason of a failure
     * in the tooltip: the word is what the clerk needs, and it never gets cut.
     */
    static final class SyncRenderer extends DefaultTableCellRenderer {

        @Override
        public Component getTableCellRendererComponent(
                JTable table, Object value, boolean selected, boolean focused, int row, int column) {
            setForeground(null);
            super.getTableCellRendererComponent(table, value, selected, focused, row, column);
            String text = value == null ? "" : value.toString();
            Look.Signal signal = text.startsWith("synced")
                    ? Look.Signal.GOOD
                    : text.startsWith("failed") ? Look.Signal.BAD : Look.Signal.WAIT;
            setText(
                    switch (signal) {
                        case GOOD -> "synced";
                        case BAD -> "failed";
                        case WAIT -> text.isEmpty() ? "" : "pending";
                    });
            setIcon(signal.dot());
            setIconTextGap(6);
            setToolTipText(
                    switch (signal) {
                        case GOOD -> "Confirmed by the broker: it reaches the head office.";
                        case BAD ->
                            "<html>" + escape(text) + "<br>It is sent again automatically; nothing to do.</html>";
                        case WAIT -> "Saved here; waiting for the broker to confirm it.";
                    });
            if (!selected && signal == Look.Signal.BAD) {
                setForeground(Look.errorText());
            }
            return this;
        }

        private static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }
}
