package io.salesync.branch.ui;

import io.salesync.branch.service.BranchServices;
import io.salesync.branch.service.SaleNotFoundException;
import io.salesync.branch.service.SaleRow;
import io.salesync.branch.service.SalesQueries.Snapshot;
import io.salesync.branch.service.StaleSaleException;
import io.salesync.branch.service.SyncState;
import io.salesync.common.db.DatabaseProblem;
import io.salesync.common.db.StorageException;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.common.sale.ValidationException;
import io.salesync.desktop.ErrorReporter;
import io.salesync.desktop.Theme;
import io.salesync.desktop.WindowMemory;
import io.salesync.desktop.WindowPlacement;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.swing.BorderFactory;
import javax.swing.ButtonGroup;
import javax.swing.JFrame;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JRadioButtonMenuItem;
import javax.swing.JScrollPane;
import javax.swing.ScrollPaneConstants;
import javax.swing.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The branch clerk's window: the sale form on the left, the branch's sales on the right, the state
 * of the database and the broker at the bottom, and a banner above when the database does not answer
 * ({@link DatabaseBanner}).
 *
 * <p>Event thread only. Database work goes to {@link BackgroundTasks}; the form is read here first.
 */
final class BranchOfficeFrame extends JFrame {

    private static final Logger log = LoggerFactory.getLogger(BranchOfficeFrame.class);
    /** Rows loaded into the table; older sales stay in the database and in exports from it. */
    static final int ROW_LIMIT = 10_000;

    private static final String COLUMNS_KEY = "sales";

    private final String branchId;
    private final WindowMemory memory;
    private final Runnable onClosed;
    private final SaleEntryPanel form;
    private final SalesTablePanel sales = new SalesTablePanel();
    private final StatusBar status = new StatusBar();
    private final DatabaseBanner banner = new DatabaseBanner(status);
    private final BackgroundTasks tasks;
    private final Timer refreshTimer;
    private final Timer retryTimer;
    private BranchServices services;
    private boolean refreshing;
    private boolean refreshAgain;
    private SyncState lastState;

    BranchOfficeFrame(String branchId, TaxRate taxRate, WindowMemory memory, Runnable onClosed) {
        super("salesync \u2013 branch " + branchId);
        this.branchId = branchId;
        this.memory = memory;
        this.onClosed = onClosed;
        this.form = new SaleEntryPanel(taxRate);
        this.tasks = new BackgroundTasks(branchId);
        setName("branchOffice");
        setDefaultCloseOperation(DO_NOTHING_ON_CLOSE);
        // small enough for a 800x600 screen and for the demo's windows beside the head office
        setMinimumSize(new Dimension(640, 460));

        JPanel north = new JPanel(new BorderLayout());
        north.add(banner, BorderLayout.CENTER);
        JPanel content = new JPanel(new BorderLayout());
        content.add(north, BorderLayout.NORTH);
        // the form scrolls when the window is too low for it (a long reason under every field)
        JScrollPane formScroll = new JScrollPane(
                form, ScrollPaneConstants.VERTICAL_SCROLLBAR_AS_NEEDED, ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
        formScroll.setName("formScroll");
        formScroll.setBorder(BorderFactory.createEmptyBorder());
        formScroll.getVerticalScrollBar().setUnitIncrement(16);
        content.add(formScroll, BorderLayout.WEST);
        content.add(sales, BorderLayout.CENTER);
        content.add(status, BorderLayout.SOUTH);
        setContentPane(content);
        setJMenuBar(menus());
        getRootPane().setDefaultButton(form.saveButton());

        form.onSave(this::save);
        // the status bar never says "Saved" while the form says "Not saved"
        form.onMessage(text -> {
            if (!text.isEmpty()) {
                status.message(text);
            }
        });
        sales.onSearch(text -> refreshSoon());
        sales.onEdit(form::edit);
        sales.onDelete(this::confirmDelete);

        refreshTimer = new Timer(300, event -> refreshNow());
        refreshTimer.setRepeats(false);
        retryTimer = new Timer(5_000, event -> {
            if (banner.windowFailed()) {
                refreshSoon();
            }
        });
        retryTimer.start();

        WindowPlacement.place(this, memory, new Dimension(1280, 800));
        memory.restoreColumns(sales.table(), COLUMNS_KEY);
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowOpened(WindowEvent event) {
                form.clearForm();
            }

            @Override
            public void windowClosing(WindowEvent event) {
                close();
            }
        });
    }

    // --- news from the branch (BranchOfficeWindow) ---

    void brokerAddress(String address) {
        status.brokerAddress(address);
    }

    void databaseUnavailable(String sentence, Duration retryIn) {
        banner.openingFailed(
                DatabaseProblem.Kind.of(sentence).configuration()
                        ? sentence + " Next try in " + retryIn.toSeconds() + " s."
                        : sentence + " Sales cannot be saved until it answers; next try in " + retryIn.toSeconds()
                                + " s.");
    }

    void opened(BranchServices opened) {
        services = opened;
        banner.opened();
        status.message("Branch " + branchId + " ready.");
        refreshSoon();
        loadSuggestions();
    }

    void syncState(SyncState state) {
        status.show(state);
        banner.relay(state.databaseProblem());
        if (lastState == null
                || lastState.backlog() != state.backlog()
                || lastState.lastConfirmedSeq() != state.lastConfirmedSeq()
                || lastState.broker() != state.broker()
                || !Objects.equals(lastState.brokerDetail(), state.brokerDetail())
                || !Objects.equals(lastState.databaseProblem(), state.databaseProblem())) {
            refreshSoon();
        }
        lastState = state;
    }

    // --- saving, correcting, deleting ---

    private void save(SaleInput input, SaleEntryPanel.Editing editing) {
        if (services == null) {
            form.showMessage("Not saved: the branch database does not answer yet. Your entry is kept.", true);
            return;
        }
        BranchServices current = services;
        form.setBusy(true);
        tasks.run(
                "save a sale",
                () -> editing == null
                        ? current.sales().create(input)
                        : current.sales().update(editing.id(), editing.version(), input),
                sale -> {
                    form.setBusy(false);
                    String what = (editing == null ? "Saved: " : "Corrected: ") + describe(sale);
                    form.saved(what);
                    banner.window(null);
                    refreshSoon();
                    loadSuggestions();
                },
                error -> {
                    form.setBusy(false);
                    saveFailed(error, editing != null);
                });
    }

    private void saveFailed(Exception error, boolean correction) {
        if (error instanceof ValidationException invalid) {
            form.showErrors(invalid.errors());
            return;
        }
        if (error instanceof StaleSaleException || error instanceof SaleNotFoundException) {
            ErrorReporter.show(this, "The correction was not saved", error);
            form.clearForm();
            refreshSoon();
            return;
        }
        if (error instanceof StorageException) {
            banner.window(error.getMessage());
        }
        form.showMessage(
                correction
                        ? "Not saved: the correction is still in the form."
                        : "Not saved: the sale is still in the form.",
                true);
        ErrorReporter.show(this, correction ? "The correction was not saved" : "The sale was not saved", error);
    }

    private void confirmDelete(SaleRow row) {
        if (services == null) {
            return;
        }
        Sale sale = row.sale();
        Object[] options = {"Delete", "Keep"};
        int answer = JOptionPane.showOptionDialog(
                this,
                "Delete the sale of " + describe(sale) + "?\nThe deletion is sent to the head office as well.",
                "Delete sale",
                JOptionPane.YES_NO_OPTION,
                JOptionPane.WARNING_MESSAGE,
                null,
                options,
                options[1]);
        if (answer != 0) {
            return;
        }
        BranchServices current = services;
        tasks.run(
                "delete a sale",
                () -> current.sales().delete(sale.id(), sale.version()),
                deleted -> {
                    status.message("Deleted: " + describe(sale));
                    if (form.isEditing(sale.id())) {
                        form.clearForm();
                    }
                    refreshSoon();
                },
                error -> {
                    if (error instanceof StorageException) {
                        banner.window(error.getMessage());
                    }
                    ErrorReporter.show(this, "The sale was not deleted", error);
                    refreshSoon();
                });
    }

    private static String describe(Sale sale) {
        return sale.date() + ", " + sale.region() + ", " + sale.product() + ", total " + Formats.money(sale.total());
    }

    // --- keeping the table current ---

    /** Asks for a reload; several requests within 300 ms make one. */
    void refreshSoon() {
        if (services != null && !refreshTimer.isRunning()) {
            refreshTimer.start();
        }
    }

    private void refreshNow() {
        if (refreshing) {
            refreshAgain = true;
            return;
        }
        refreshing = true;
        BranchServices current = services;
        String search = sales.search();
        tasks.run(
                "read the sales",
                () -> current.queries().latest(ROW_LIMIT, search),
                (Snapshot snapshot) -> {
                    refreshDone();
                    sales.setRows(snapshot.rows(), snapshot.liveCount(), search);
                    form.showToday((int) snapshot.todayCount(), snapshot.todayTotal());
                    if (banner.windowFailed()) {
                        banner.window(null);
                    }
                },
                error -> {
                    refreshDone();
                    log.warn("Branch {}: the sales could not be read: {}", branchId, error.getMessage());
                    banner.window(error.getMessage());
                });
    }

    private void refreshDone() {
        refreshing = false;
        if (refreshAgain) {
            refreshAgain = false;
            refreshSoon();
        }
    }

    private record Suggestions(List<String> regions, List<String> products) {}

    private void loadSuggestions() {
        BranchServices current = services;
        tasks.run(
                "read the suggestions",
                () -> new Suggestions(
                        current.queries().regions(), current.queries().products()),
                suggestions -> form.setSuggestions(suggestions.regions(), suggestions.products()),
                error -> log.warn("Branch {}: suggestions not loaded: {}", branchId, error.getMessage()));
    }

    // --- menus ---

    private JMenuBar menus() {
        JMenuBar bar = new JMenuBar();
        JMenu file = new JMenu("File");
        file.setMnemonic(KeyEvent.VK_F);
        file.add(item("Import CSV\u2026", KeyEvent.VK_I, "importCsv", () -> {
            if (services == null) {
                status.message("Import needs the branch database, which does not answer yet.");
                return;
            }
            CsvTransfers.importCsv(this, services, () -> {
                refreshSoon();
                loadSuggestions();
            });
        }));
        file.add(item(
                "Export table to CSV\u2026",
                KeyEvent.VK_E,
                "exportCsv",
                () -> CsvTransfers.exportTable(this, SalesTableModel.COLUMNS, sales.shownRows(), status::message)));
        file.addSeparator();
        file.add(item("Exit", KeyEvent.VK_X, "exit", this::close));
        bar.add(file);

        JMenu view = new JMenu("View");
        view.setMnemonic(KeyEvent.VK_V);
        ButtonGroup themes = new ButtonGroup();
        for (Theme theme : Theme.values()) {
            JRadioButtonMenuItem choice = new JRadioButtonMenuItem(theme.label() + " theme");
            choice.setName(theme.name().toLowerCase(Locale.ROOT) + "Theme");
            choice.setMnemonic(theme == Theme.DARK ? KeyEvent.VK_D : KeyEvent.VK_L);
            choice.setSelected(theme == memory.theme());
            choice.addActionListener(event -> {
                theme.install();
                memory.saveTheme(theme);
            });
            themes.add(choice);
            view.add(choice);
        }
        bar.add(view);
        return bar;
    }

    private static JMenuItem item(String text, int mnemonic, String name, Runnable action) {
        JMenuItem item = new JMenuItem(text, mnemonic);
        item.setName(name);
        item.addActionListener(event -> action.run());
        return item;
    }

    private void close() {
        memory.saveBounds(this);
        memory.saveColumns(sales.table(), COLUMNS_KEY);
        refreshTimer.stop();
        retryTimer.stop();
        tasks.shutdown();
        dispose();
        onClosed.run();
    }
}
