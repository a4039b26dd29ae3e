package io.salesync.branch.ui;

import io.salesync.branch.service.SaleRow;
import io.salesync.common.sale.Sale;
import java.awt.Component;
import java.awt.Font;
import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.swing.AbstractAction;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.JTextField;
import javax.swing.KeyStroke;
import javax.swing.ListSelectionModel;
import javax.swing.RowFilter;
import javax.swing.ScrollPaneConstants;
import javax.swing.SwingConstants;
import javax.swing.event.ChangeEvent;
import javax.swing.event.ListSelectionEvent;
import javax.swing.event.TableColumnModelEvent;
import javax.swing.event.TableColumnModelListener;
import javax.swing.table.AbstractTableModel;
import javax.swing.table.DefaultTableCellRenderer;
import javax.swing.table.TableColumnModel;
import javax.swing.table.TableRowSorter;
import net.miginfocom.swing.MigLayout;

/**
 * This branch's sales: a sortable table (newest first), a filter box, a totals row for the rows
 * shown, and Edit and Delete for the selected sale. Event thread only.
 */
final class SalesTablePanel extends JPanel {

    private static final int[] WIDTHS = {88, 84, 240, 50, 70, 84, 66, 88, 110};

    private final SalesTableModel model = new SalesTableModel();
    private final JTable table = new JTable(model);
    private final TableRowSorter<SalesTableModel> sorter = new TableRowSorter<>(model);
    private final TotalsModel totalsModel = new TotalsModel();
    private final JTable totals;
    private final JTextField filter = new JTextField(18);
    private final JButton edit = new JButton("Edit");
    private final JButton delete = new JButton("Delete");
    private final JLabel shown = new JLabel();
    private long liveCount;
    private Consumer<SaleRow> onEdit = row -> { };
    private Consumer<SaleRow> onDelete = row -> { };

    SalesTablePanel() {
        super(new MigLayout("insets 12 6 8 12, gap 6, fill", "[grow,fill]", "[][grow,fill][]"));
        setName("salesPanel");

        table.setName("salesTable");
        table.setRowSorter(sorter);
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.setFillsViewportHeight(true);
        table.getTableHeader().setReorderingAllowed(false);
        table.setDefaultRenderer(BigDecimal.class, new MoneyRenderer());
        table.getColumnModel().getColumn(SalesTableModel.SYNC).setCellRenderer(new SyncRenderer());
        for (int i = 0; i < WIDTHS.length; i++) {
            table.getColumnModel().getColumn(i).setPreferredWidth(WIDTHS[i]);
        }
        table.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent event) {
                if (event.getClickCount() == 2 && table.rowAtPoint(event.getPoint()) >= 0) {
                    selected().ifPresent(onEdit);
                }
            }
        });
        bind(table, KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "editSale", () -> selected().ifPresent(onEdit));
        bind(table, KeyStroke.getKeyStroke(KeyEvent.VK_DELETE, 0), "deleteSale", () -> selected().ifPresent(onDelete));
        table.getSelectionModel().addListSelectionListener(event -> updateButtons());

        // The totals row has its own columns that follow the table's widths; sharing one column
        // model between two tables makes them resize each other without end.
        totals = new JTable(totalsModel);
        totals.setName("totals");
        table.getColumnModel().addColumnModelListener(new TableColumnModelListener() {
            @Override
            public void columnMarginChanged(ChangeEvent event) {
                followColumnWidths();
            }

            @Override
            public void columnAdded(TableColumnModelEvent event) {
            }

            @Override
            public void columnRemoved(TableColumnModelEvent event) {
            }

            @Override
            public void columnMoved(TableColumnModelEvent event) {
            }

            @Override
            public void columnSelectionChanged(ListSelectionEvent event) {
            }
        });
        totals.setTableHeader(null);
        totals.setAutoResizeMode(JTable.AUTO_RESIZE_OFF);
        totals.setFocusable(false);
        totals.setRowSelectionAllowed(false);
        totals.setDefaultRenderer(Object.class, new TotalsRenderer());
        sorter.addRowSorterListener(event -> updateTotals());

        JLabel filterLabel = new JLabel("Filter");
        filterLabel.setDisplayedMnemonic(KeyEvent.VK_I);
        filterLabel.setLabelFor(filter);
        filter.setName("filter");
        filter.putClientProperty("JTextField.placeholderText", "region, product, date\u2026");
        filter.putClientProperty("JTextField.showClearButton", true);
        Documents.onChange(filter, this::applyFilter);
        // Enter in the filter goes to the table instead of saving the form.
        filter.addActionListener(event -> table.requestFocusInWindow());
        // Reached with Alt+E / Alt+T or the Enter and Delete keys in the table; out of the Tab order
        // so that Enter never lands on them.
        edit.setFocusable(false);
        delete.setFocusable(false);
        edit.setName("edit");
        edit.setMnemonic(KeyEvent.VK_E);
        edit.setToolTipText("Load the selected sale into the form to correct it (Enter or double-click)");
        edit.addActionListener(event -> selected().ifPresent(onEdit));
        delete.setName("delete");
        delete.setMnemonic(KeyEvent.VK_T);
        delete.setToolTipText("Delete the selected sale (Delete key)");
        delete.addActionListener(event -> selected().ifPresent(onDelete));
        shown.setName("shownCount");

        add(filterLabel, "split 5");
        add(filter, "growx 0, width 240!");
        add(shown, "gapleft 12, growx, pushx");
        add(edit, "sg rowButtons");
        add(delete, "sg rowButtons, wrap");
        JScrollPane scroll = new JScrollPane(table);
        scroll.setVerticalScrollBarPolicy(ScrollPaneConstants.VERTICAL_SCROLLBAR_ALWAYS);
        add(scroll, "wrap");
        JScrollPane totalsScroll = new JScrollPane(totals, ScrollPaneConstants.VERTICAL_SCROLLBAR_NEVER,
                ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
        totalsScroll.setName("totalsScroll");
        add(totalsScroll, "height pref!");
        totals.setPreferredScrollableViewportSize(new java.awt.Dimension(10, totals.getRowHeight()));
        updateButtons();
        updateTotals();
    }

    JTable table() {
        return table;
    }

    JTextField filterField() {
        return filter;
    }

    void onEdit(Consumer<SaleRow> action) {
        this.onEdit = action;
    }

    void onDelete(Consumer<SaleRow> action) {
        this.onDelete = action;
    }

    /** Replaces the rows, keeping the selected sale selected. */
    void setRows(List<SaleRow> rows, long liveCount) {
        UUID selectedId = selected().map(row -> row.sale().id()).orElse(null);
        this.liveCount = liveCount;
        model.setRows(rows);
        if (selectedId != null) {
            int modelIndex = model.indexOf(selectedId);
            if (modelIndex >= 0) {
                int viewIndex = table.convertRowIndexToView(modelIndex);
                if (viewIndex >= 0) {
                    table.getSelectionModel().setSelectionInterval(viewIndex, viewIndex);
                }
            }
        }
        updateTotals();
    }

    /** The rows as shown (filtered and sorted), as the table's text, for an export. */
    List<List<String>> shownRows() {
        List<List<String>> out = new java.util.ArrayList<>();
        for (int view = 0; view < table.getRowCount(); view++) {
            Sale sale = model.row(table.convertRowIndexToModel(view)).sale();
            out.add(List.of(sale.date().toString(), sale.region(), sale.product(), String.valueOf(sale.qty()),
                    sale.cost().toPlainString(), sale.amt().toPlainString(), sale.tax().toPlainString(),
                    sale.total().toPlainString(), model.row(table.convertRowIndexToModel(view)).syncText()));
        }
        return out;
    }

    Optional<SaleRow> selected() {
        int view = table.getSelectedRow();
        return view < 0 ? Optional.empty() : Optional.of(model.row(table.convertRowIndexToModel(view)));
    }

    private static boolean isNumber(int modelColumn) {
        return modelColumn == SalesTableModel.QTY || modelColumn >= SalesTableModel.COST && modelColumn <= SalesTableModel.TOTAL;
    }

    private void followColumnWidths() {
        TableColumnModel source = table.getColumnModel();
        TableColumnModel target = totals.getColumnModel();
        for (int i = 0; i < source.getColumnCount() && i < target.getColumnCount(); i++) {
            int width = source.getColumn(i).getWidth();
            if (target.getColumn(i).getWidth() != width) {
                target.getColumn(i).setMinWidth(0);
                target.getColumn(i).setPreferredWidth(width);
                target.getColumn(i).setWidth(width);
            }
        }
    }

    private void applyFilter() {
        String text = filter.getText().strip();
        sorter.setRowFilter(text.isEmpty() ? null
                : RowFilter.regexFilter("(?iu)" + Pattern.quote(text), SalesTableModel.DATE, SalesTableModel.REGION,
                        SalesTableModel.PRODUCT, SalesTableModel.SYNC));
    }

    private void updateButtons() {
        boolean any = table.getSelectedRow() >= 0;
        edit.setEnabled(any);
        delete.setEnabled(any);
    }

    private void updateTotals() {
        long qty = 0;
        BigDecimal amt = BigDecimal.ZERO;
        BigDecimal tax = BigDecimal.ZERO;
        BigDecimal total = BigDecimal.ZERO;
        int count = sorter.getViewRowCount();
        for (int view = 0; view < count; view++) {
            Sale sale = model.row(sorter.convertRowIndexToModel(view)).sale();
            qty += sale.qty();
            amt = amt.add(sale.amt());
            tax = tax.add(sale.tax());
            total = total.add(sale.total());
        }
        totalsModel.set(count, qty, amt, tax, total);
        String of = count == model.getRowCount() ? "" : " of " + String.format("%,d", model.getRowCount());
        String newest = liveCount > model.getRowCount() ? " (the newest " + String.format("%,d", model.getRowCount())
                + " of " + String.format("%,d", liveCount) + ")" : "";
        shown.setText(String.format("%,d", count) + of + " sale" + (count == 1 ? "" : "s") + " shown" + newest);
        updateButtons();
    }

    private static void bind(JComponent component, KeyStroke key, String name, Runnable action) {
        component.getInputMap(WHEN_FOCUSED).put(key, name);
        component.getActionMap().put(name, new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                action.run();
            }
        });
    }

    /** One row: the count and the sums of Qty, Amt, Tax and Total over the rows shown. */
    private static final class TotalsModel extends AbstractTableModel {

        private final Object[] values = new Object[SalesTableModel.COLUMNS.length];

        void set(int count, long qty, BigDecimal amt, BigDecimal tax, BigDecimal total) {
            values[SalesTableModel.DATE] = "Total";
            values[SalesTableModel.REGION] = String.format("%,d sale%s", count, count == 1 ? "" : "s");
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
        public Component getTableCellRendererComponent(JTable table, Object value, boolean selected, boolean focused,
                                                       int row, int column) {
            super.getTableCellRendererComponent(table, value, false, false, row, column);
            setFont(getFont().deriveFont(Font.BOLD));
            setHorizontalAlignment(isNumber(table.convertColumnIndexToModel(column)) ? SwingConstants.RIGHT : SwingConstants.LEFT);
            return this;
        }
    }

    /** Money right-aligned with two decimals. */
    private static final class MoneyRenderer extends DefaultTableCellRenderer {

        MoneyRenderer() {
            setHorizontalAlignment(SwingConstants.RIGHT);
        }

        @Override
        protected void setValue(Object value) {
            setText(value instanceof BigDecimal amount ? Formats.money(amount) : value == null ? "" : value.toString());
        }
    }

    /** pending (amber dot), synced (green dot) or failed with the reason (red dot and text). */
    private static final class SyncRenderer extends DefaultTableCellRenderer {

        @Override
        public Component getTableCellRendererComponent(JTable table, Object value, boolean selected, boolean focused,
                                                       int row, int column) {
            setForeground(null);
            super.getTableCellRendererComponent(table, value, selected, focused, row, column);
            String text = value == null ? "" : value.toString();
            Look.Signal signal = text.startsWith("synced") ? Look.Signal.GOOD
                    : text.startsWith("failed") ? Look.Signal.BAD : Look.Signal.WAIT;
            setIcon(signal.dot());
            setIconTextGap(6);
            setToolTipText(switch (signal) {
                case GOOD -> "Confirmed by the broker: it reaches the head office.";
                case BAD -> text + " (it is sent again automatically)";
                case WAIT -> "Saved here; waiting for the broker to confirm it.";
            });
            if (!selected && signal == Look.Signal.BAD) {
                setForeground(Look.errorText());
            }
            return this;
        }
    }

    /** The column model, for the window memory. */
    TableColumnModel columns() {
        return table.getColumnModel();
    }
}
