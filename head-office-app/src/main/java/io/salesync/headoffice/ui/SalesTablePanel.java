package io.salesync.headoffice.ui;

import io.salesync.desktop.FittingTable;
import io.salesync.desktop.WrapLayout;
import io.salesync.headoffice.model.SaleRow;
import io.salesync.headoffice.model.SalesColumn;
import io.salesync.headoffice.model.SalesSort;
import io.salesync.headoffice.model.SalesTotals;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.FlowLayout;
import java.awt.FontMetrics;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.math.BigDecimal;
import java.util.OptionalInt;
import java.util.function.Consumer;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.ListSelectionModel;
import javax.swing.SwingConstants;
import javax.swing.UIManager;
import javax.swing.table.DefaultTableCellRenderer;
import javax.swing.table.TableCellRenderer;
import javax.swing.table.TableColumn;
import net.miginfocom.swing.MigLayout;

/**
 * The consolidated sales table (lazy, sorted by the database when a header is clicked) and, under
 * it, the totals of the current filter. Event thread only.
 */
final class SalesTablePanel extends JPanel {

    private static final long serialVersionUID = 1L;

    private final LazySalesTableModel model;
    private final JTable table;
    private final JLabel count = value("totals.count");
    private final JLabel qty = value("totals.qty");
    private final JLabel amt = value("totals.amt");
    private final JLabel tax = value("totals.tax");
    private final JLabel total = value("totals.total");
    private transient SalesSort sort = SalesSort.DEFAULT;

    SalesTablePanel(LazySalesTableModel model, Consumer<SalesSort> sortChanged) {
        super(new BorderLayout());
        this.model = model;
        this.table = new FittingTable(model);
        table.setName("salesTable");
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.setFillsViewportHeight(true);
        table.getTableHeader().setReorderingAllowed(false);
        table.setDefaultRenderer(BigDecimal.class, new MoneyRenderer());
        table.setDefaultRenderer(Integer.class, new NumberRenderer());
        wrapHeaderRenderer();
        int[] widths = {58, 95, 65, 140, 40, 65, 85, 65, 90};
        for (int column = 0; column < widths.length; column++) {
            table.getColumnModel().getColumn(column).setPreferredWidth(widths[column]);
        }
        table.getColumnModel().getColumn(SalesColumn.DATE.ordinal()).setMinWidth(90);
        table.setDefaultRenderer(String.class, new TextRenderer());
        fitFigures(SalesTotals.NONE);
        table.getTableHeader().addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent event) {
                int view = table.columnAtPoint(event.getPoint());
                if (view < 0 || event.getButton() != MouseEvent.BUTTON1) {
                    return;
                }
                SalesColumn column = SalesColumn.values()[table.convertColumnIndexToModel(view)];
                sort = column == sort.column()
                        ? new SalesSort(column, !sort.ascending())
                        : new SalesSort(column, column != SalesColumn.DATE);
                table.getTableHeader().repaint();
                sortChanged.accept(sort);
            }
        });
        JScrollPane scroll = new JScrollPane(table);
        scroll.setName("salesScroll");
        add(scroll, BorderLayout.CENTER);

        // The figures wrap onto a second line in a narrow window instead of being cut ("Total 2,1").
        JPanel totals = new JPanel(new WrapLayout(FlowLayout.LEADING, 16, 4));
        totals.setName("totalsBar");
        totals.setToolTipText("Totals of every sale the filter matches, not only the rows in view");
        totals.add(figure("Sales", count));
        totals.add(figure("Qty", qty));
        totals.add(figure("Amt", amt));
        totals.add(figure("Tax", tax));
        totals.add(figure("Total", total));
        add(totals, BorderLayout.SOUTH);
        showTotals(SalesTotals.NONE);
    }

    JTable table() {
        return table;
    }

    SalesSort sort() {
        return sort;
    }

    void showTotals(SalesTotals totals) {
        count.setText(Formats.count(totals.count()));
        qty.setText(Formats.count(totals.qty()));
        amt.setText(Formats.money(totals.amt()));
        tax.setText(Formats.money(totals.tax()));
        total.setText(Formats.money(totals.total()));
        fitFigures(totals);
    }

    /**
     * Gives Qty, Cost, Amt, Tax and Total the width their widest value can need, so that no figure
     * is cut: no sale's figure exceeds the filter's sum of that column, which the totals know,
     * whichever rows are loaded.
     */
    private void fitFigures(SalesTotals totals) {
        FontMetrics metrics = table.getFontMetrics(table.getFont());
        int padding = 12;
        setMinimum(
                SalesColumn.QTY,
                Math.max(
                        header(SalesColumn.QTY),
                        metrics.stringWidth(Formats.count(Math.min(Math.max(totals.qty(), 100), 100_000))) + padding));
        // no unit cost exceeds the Amt of its sale, so none exceeds the filter's Amt
        setMinimum(
                SalesColumn.COST,
                Math.max(
                        header(SalesColumn.COST),
                        metrics.stringWidth(Formats.money(bounded(totals.amt(), new BigDecimal("999999.99"))))
                                + padding));
        setMinimum(SalesColumn.AMT, metrics.stringWidth(Formats.money(bounded(totals.amt(), LARGEST_AMT))) + padding);
        setMinimum(SalesColumn.TAX, metrics.stringWidth(Formats.money(bounded(totals.tax(), LARGEST_AMT))) + padding);
        setMinimum(
                SalesColumn.TOTAL,
                metrics.stringWidth(Formats.money(bounded(totals.total(), LARGEST_AMT.add(LARGEST_AMT)))) + padding);
        setMinimum(SalesColumn.BRANCH, Math.max(header(SalesColumn.BRANCH), metrics.stringWidth("bo00") + padding));
        setMinimum(SalesColumn.DATE, metrics.stringWidth("2026-11-26") + padding);
        setMinimum(SalesColumn.REGION, 60);
        setMinimum(SalesColumn.PRODUCT, 90);
    }

    /** The width a column's title needs, with room for the sort arrow. */
    private int header(SalesColumn column) {
        FontMetrics metrics =
                table.getTableHeader().getFontMetrics(table.getTableHeader().getFont());
        return metrics.stringWidth(column.label()) + 14;
    }

    /** The largest Amt one sale can have: 100,000 x 999,999.99. */
    private static final BigDecimal LARGEST_AMT = new BigDecimal("99999999000.00");

    /** The widest a single sale's figure can be: at most the filter's sum, at most what one sale can reach. */
    private static BigDecimal bounded(BigDecimal sum, BigDecimal largest) {
        BigDecimal floor = new BigDecimal("100.00");
        BigDecimal value = sum == null || sum.compareTo(floor) < 0 ? floor : sum;
        return value.min(largest);
    }

    private void setMinimum(SalesColumn column, int width) {
        TableColumn tableColumn = table.getColumnModel().getColumn(column.ordinal());
        if (tableColumn.getMinWidth() != width) {
            tableColumn.setMinWidth(width);
            if (tableColumn.getPreferredWidth() < width) {
                tableColumn.setPreferredWidth(width);
            }
        }
    }

    private static JPanel figure(String caption, JLabel value) {
        JPanel pair = new JPanel(new MigLayout("insets 0, gap 4 0", "", "[baseline]"));
        pair.add(caption(caption));
        pair.add(value);
        return pair;
    }

    /** Text, its whole value in the tooltip when the column is too narrow for it. */
    static final class TextRenderer extends DefaultTableCellRenderer {

        private static final long serialVersionUID = 1L;

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

    /** The selected sale's key ("branch/sale id"), or null. */
    String selectedKey() {
        int row = table.getSelectedRow();
        SaleRow sale = row < 0 ? null : model.rowAt(row);
        return sale == null ? null : sale.branchId() + "/" + sale.saleId();
    }

    /** After a live refresh: selects the sale again where it is now, if it is among the pages in memory. */
    void reselect(String key) {
        if (key == null) {
            return;
        }
        int slash = key.indexOf('/');
        OptionalInt row = model.rowOf(key.substring(0, slash), key.substring(slash + 1));
        if (row.isPresent() && row.getAsInt() != table.getSelectedRow()) {
            table.getSelectionModel().setSelectionInterval(row.getAsInt(), row.getAsInt());
        }
    }

    /** First and last row index in view (for the pages a refresh should read at once). */
    int[] visibleRows() {
        Rectangle view = table.getVisibleRect();
        int first = table.rowAtPoint(view.getLocation());
        int last = table.rowAtPoint(new Point(view.x, view.y + view.height - 1));
        if (first < 0) {
            first = 0;
        }
        if (last < 0) {
            last = Math.max(first, first + view.height / Math.max(1, table.getRowHeight()));
        }
        return new int[] {first, last};
    }

    void scrollToTop() {
        table.scrollRectToVisible(new Rectangle(0, 0, 1, 1));
    }

    private void wrapHeaderRenderer() {
        TableCellRenderer base = table.getTableHeader().getDefaultRenderer();
        table.getTableHeader().setDefaultRenderer((t, value, selected, focused, row, column) -> {
            Component component = base.getTableCellRendererComponent(t, value, selected, focused, row, column);
            if (component instanceof JLabel label) {
                boolean sorted =
                        t.convertColumnIndexToModel(column) == sort.column().ordinal();
                label.setIcon(
                        sorted
                                ? UIManager.getIcon(
                                        sort.ascending() ? "Table.ascendingSortIcon" : "Table.descendingSortIcon")
                                : null);
                label.setHorizontalTextPosition(SwingConstants.LEADING);
            }
            return component;
        });
    }

    private static JLabel caption(String text) {
        JLabel label = new JLabel(text);
        label.putClientProperty("FlatLaf.styleClass", "small");
        label.setEnabled(false);
        return label;
    }

    private static JLabel value(String name) {
        JLabel label = new JLabel();
        label.setName(name);
        label.putClientProperty("FlatLaf.styleClass", "h4");
        return label;
    }

    /** Money with two decimals and thousands separators, right-aligned. */
    static final class MoneyRenderer extends DefaultTableCellRenderer {

        private static final long serialVersionUID = 1L;

        MoneyRenderer() {
            setHorizontalAlignment(SwingConstants.RIGHT);
        }

        @Override
        protected void setValue(Object value) {
            setText(value instanceof BigDecimal amount ? Formats.money(amount) : "");
        }
    }

    /** Whole numbers, right-aligned. */
    static final class NumberRenderer extends DefaultTableCellRenderer {

        private static final long serialVersionUID = 1L;

        NumberRenderer() {
            setHorizontalAlignment(SwingConstants.RIGHT);
        }

        @Override
        protected void setValue(Object value) {
            setText(value instanceof Number number ? Formats.count(number.longValue()) : "");
        }
    }
}
