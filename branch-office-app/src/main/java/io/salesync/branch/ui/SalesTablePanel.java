package io.salesync.branch.ui;

import io.salesync.branch.service.SaleRow;
import io.salesync.common.sale.Sale;
import java.awt.Dimension;
import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import javax.swing.AbstractAction;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.JTextField;
import javax.swing.JViewport;
import javax.swing.KeyStroke;
import javax.swing.ListSelectionModel;
import javax.swing.ScrollPaneConstants;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.event.ChangeEvent;
import javax.swing.event.ListSelectionEvent;
import javax.swing.event.TableColumnModelEvent;
import javax.swing.event.TableColumnModelListener;
import javax.swing.table.TableColumn;
import javax.swing.table.TableColumnModel;
import javax.swing.table.TableRowSorter;
import net.miginfocom.swing.MigLayout;

/**
 * This branch's sales: a sortable table (newest first), a search box that searches the branch's
 * database, a totals row for the rows shown ({@link TotalsRow}), and Edit and Delete for the
 * selected sale; each kind of value drawn as {@link SaleCellRenderers} says. Event thread only.
 *
 * <p>Nothing is cut off at any window size: the Sync column stays at the left edge whatever the
 * horizontal scroll ({@link ColumnFit}), figures always get the width their longest value needs,
 * Region and Product give way first, and when even that is not enough the table scrolls sideways
 * with its totals row. Edit and Delete stay beside the search box.
 */
final class SalesTablePanel extends JPanel {

    private final SalesTableModel model = new SalesTableModel();
    private final JTable table = new JTable(model) {
        @Override
        public boolean getScrollableTracksViewportWidth() {
            // fill the width while every column gets at least its minimum; else scroll sideways
            return getParent() instanceof JViewport viewport && ColumnFit.minimumWidth(this) <= viewport.getWidth();
        }

        @Override
        public void doLayout() {
            super.doLayout();
            followColumnWidths();
        }

        @Override
        public Dimension getPreferredSize() {
            // scrolling sideways, the columns keep their minimum widths: as little to scroll as can be
            Dimension preferred = super.getPreferredSize();
            return new Dimension(ColumnFit.minimumWidth(this), preferred.height);
        }
    };
    private final JTable syncTable = new JTable(model);
    private final TableRowSorter<SalesTableModel> sorter = new TableRowSorter<>(model);
    private final TotalsRow totals = new TotalsRow();
    private final JTextField filter = new JTextField(18);
    private final JButton edit = new JButton("Edit");
    private final JButton delete = new JButton("Delete");
    private final JLabel shown = new JLabel();
    private final Timer searchPause;
    private final JScrollPane scroll;
    private long liveCount;
    private String search = "";
    private Consumer<SaleRow> onEdit = row -> {};
    private Consumer<SaleRow> onDelete = row -> {};
    private Consumer<String> onSearch = text -> {};

    SalesTablePanel() {
        super(new MigLayout("insets 12 6 8 12, gap 6, fill", "[grow,fill]", "[][grow,fill][]"));
        setName("salesPanel");

        table.setName("salesTable");
        table.setRowSorter(sorter);
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.setFillsViewportHeight(true);
        table.setAutoResizeMode(JTable.AUTO_RESIZE_SUBSEQUENT_COLUMNS);
        table.getTableHeader().setReorderingAllowed(false);
        table.setDefaultRenderer(BigDecimal.class, new SaleCellRenderers.MoneyRenderer());
        table.setDefaultRenderer(Integer.class, new SaleCellRenderers.NumberRenderer());
        table.setDefaultRenderer(String.class, new SaleCellRenderers.TextRenderer());
        table.getColumnModel().getColumn(SalesTableModel.SYNC).setCellRenderer(new SaleCellRenderers.SyncRenderer());
        // The Sync column lives in its own table at the left edge, which never scrolls sideways.
        TableColumn syncColumn = table.getColumnModel().getColumn(SalesTableModel.SYNC);
        table.removeColumn(syncColumn);
        syncTable.setName("syncTable");
        syncTable.setAutoCreateColumnsFromModel(false);
        while (syncTable.getColumnModel().getColumnCount() > 0) {
            syncTable.removeColumn(syncTable.getColumnModel().getColumn(0));
        }
        syncTable.addColumn(syncColumn);
        syncTable.setSelectionModel(table.getSelectionModel());
        syncTable.setRowSorter(sorter);
        syncTable.setFocusable(false);
        syncTable.setAutoResizeMode(JTable.AUTO_RESIZE_OFF);
        syncTable.getTableHeader().setReorderingAllowed(false);
        syncTable.getTableHeader().setResizingAllowed(false);

        MouseAdapter doubleClick = new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent event) {
                JTable source = (JTable) event.getSource();
                if (event.getClickCount() == 2 && source.rowAtPoint(event.getPoint()) >= 0) {
                    selected().ifPresent(onEdit);
                }
            }
        };
        table.addMouseListener(doubleClick);
        syncTable.addMouseListener(doubleClick);
        bind(
                table,
                KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0),
                "editSale",
                () -> selected().ifPresent(onEdit));
        bind(
                table,
                KeyStroke.getKeyStroke(KeyEvent.VK_DELETE, 0),
                "deleteSale",
                () -> selected().ifPresent(onDelete));
        table.getSelectionModel().addListSelectionListener(event -> updateButtons());

        // The totals row follows the table's column widths.
        table.getColumnModel().addColumnModelListener(new TableColumnModelListener() {
            @Override
            public void columnMarginChanged(ChangeEvent event) {
                followColumnWidths();
            }

            @Override
            public void columnAdded(TableColumnModelEvent event) {}

            @Override
            public void columnRemoved(TableColumnModelEvent event) {}

            @Override
            public void columnMoved(TableColumnModelEvent event) {}

            @Override
            public void columnSelectionChanged(ListSelectionEvent event) {}
        });
        sorter.addRowSorterListener(event -> updateTotals());

        JLabel filterLabel = new JLabel("Filter");
        filterLabel.setDisplayedMnemonic(KeyEvent.VK_I);
        filterLabel.setLabelFor(filter);
        filter.setName("filter");
        filter.putClientProperty("JTextField.placeholderText", "region, product, date\u2026");
        filter.putClientProperty("JTextField.showClearButton", true);
        filter.setToolTipText("Searches every sale of this branch, not only the rows shown");
        searchPause = new Timer(300, event -> searchNow());
        searchPause.setRepeats(false);
        Documents.onChange(filter, searchPause::restart);
        // Enter in the filter searches at once and goes to the table instead of saving the form.
        filter.addActionListener(event -> {
            searchNow();
            table.requestFocusInWindow();
        });
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

        // The count gives way first, then the search box; Edit and Delete never do.
        add(filterLabel, "split 5");
        add(filter, "growx 0, width 90:200:240");
        add(shown, "gapleft 8, growx, pushx, wmin 0");
        add(edit, "sg rowButtons");
        add(delete, "sg rowButtons, wrap");
        scroll = new JScrollPane(table);
        scroll.setName("salesScroll");
        scroll.setVerticalScrollBarPolicy(ScrollPaneConstants.VERTICAL_SCROLLBAR_ALWAYS);
        scroll.setRowHeaderView(syncTable);
        scroll.setCorner(ScrollPaneConstants.UPPER_LEFT_CORNER, syncTable.getTableHeader());
        add(scroll, "wrap, wmin 0");
        add(totals.component(), "height pref!, wmin 0");
        // the totals row scrolls sideways with the table
        scroll.getViewport()
                .addChangeListener(event -> totals.scrollTo(scroll.getViewport().getViewPosition().x));
        updateButtons();
        updateTotals();
        fitColumns();
    }

    @Override
    public void updateUI() {
        super.updateUI();
        if (totals != null) {
            totals.restyle();
            // fonts change with the theme: the widths that fit the values change too
            SwingUtilities.invokeLater(this::fitColumns);
        }
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

    /** Told the search text when the clerk stops typing in Filter (empty: every sale). */
    void onSearch(Consumer<String> action) {
        this.onSearch = action;
    }

    /** The search the rows shown answer. */
    String search() {
        return filter.getText().strip();
    }

    /**
     * Replaces the rows, keeping the selected sale selected.
     *
     * @param liveCount how many live sales match the search in all (more than the rows when the
     *                  window holds only the newest)
     * @param search    the search they answer
     */
    void setRows(List<SaleRow> rows, long liveCount, String search) {
        UUID selectedId = selected().map(row -> row.sale().id()).orElse(null);
        this.liveCount = liveCount;
        this.search = search == null ? "" : search;
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
        fitColumns();
    }

    /** The rows as shown (sorted), as the table's text, for an export. */
    List<List<String>> shownRows() {
        List<List<String>> out = new ArrayList<>();
        for (int view = 0; view < table.getRowCount(); view++) {
            SaleRow row = model.row(table.convertRowIndexToModel(view));
            Sale sale = row.sale();
            out.add(List.of(
                    sale.date().toString(),
                    sale.region(),
                    sale.product(),
                    String.valueOf(sale.qty()),
                    sale.cost().toPlainString(),
                    sale.amt().toPlainString(),
                    sale.tax().toPlainString(),
                    sale.total().toPlainString(),
                    row.syncText()));
        }
        return out;
    }

    Optional<SaleRow> selected() {
        int view = table.getSelectedRow();
        return view < 0 ? Optional.empty() : Optional.of(model.row(table.convertRowIndexToModel(view)));
    }

    private void searchNow() {
        searchPause.stop();
        onSearch.accept(search());
    }

    /** Every column as wide as its values need (figures never less), the totals row included. */
    private void fitColumns() {
        if (table == null || totals == null) {
            return;
        }
        for (int view = 0; view < table.getColumnCount(); view++) {
            int modelColumn = table.convertColumnIndexToModel(view);
            int content = Math.max(ColumnFit.contentWidth(table, view), ColumnFit.contentWidth(totals.table(), view));
            TableColumn column = table.getColumnModel().getColumn(view);
            if (modelColumn == SalesTableModel.REGION || modelColumn == SalesTableModel.PRODUCT) {
                // text gives way first: down to a few letters, its whole value in the tooltip
                int cap = modelColumn == SalesTableModel.REGION ? 160 : 320;
                column.setMinWidth(Math.min(content, modelColumn == SalesTableModel.REGION ? 70 : 130));
                column.setPreferredWidth(Math.max(column.getMinWidth(), Math.min(content, cap)));
            } else {
                column.setMinWidth(content);
                column.setPreferredWidth(Math.max(content, Math.min(column.getPreferredWidth(), content + 60)));
            }
        }
        TableColumn sync = syncTable.getColumnModel().getColumn(0);
        int syncWidth = ColumnFit.contentWidth(syncTable, 0, List.of("pending", "synced", "failed"));
        sync.setMinWidth(syncWidth);
        sync.setMaxWidth(syncWidth);
        sync.setPreferredWidth(syncWidth);
        syncTable.setPreferredScrollableViewportSize(new Dimension(syncWidth, 0));
        totals.fitCaption(syncWidth);
        table.revalidate();
        scroll.revalidate();
        followColumnWidths();
    }

    private void followColumnWidths() {
        if (totals != null) {
            totals.follow(table.getColumnModel(), table.getWidth());
        }
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
        totals.show(count, qty, amt, tax, total);
        String sales = count == 1 ? " sale" : " sales";
        String text;
        if (search.isEmpty()) {
            text = String.format("%,d", count) + sales + " shown"
                    + (liveCount > count
                            ? " (the newest " + String.format("%,d", count) + " of " + String.format("%,d", liveCount)
                                    + ")"
                            : "");
        } else {
            text = String.format("%,d", liveCount) + (liveCount == 1 ? " sale matches" : " sales match") + " \u201c"
                    + search + "\u201d"
                    + (liveCount > count ? " (the newest " + String.format("%,d", count) + " shown)" : "");
        }
        shown.setText(text);
        shown.setToolTipText(text);
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

    /** The column model, for the window memory. */
    TableColumnModel columns() {
        return table.getColumnModel();
    }
}
