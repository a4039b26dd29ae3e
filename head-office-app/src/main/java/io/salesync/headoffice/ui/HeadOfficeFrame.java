package io.salesync.headoffice.ui;

import io.salesync.desktop.ErrorReporter;
import io.salesync.desktop.Theme;
import io.salesync.desktop.WindowMemory;
import io.salesync.desktop.WindowPlacement;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.ChartPlan;
import io.salesync.headoffice.model.DailyTotal;
import io.salesync.headoffice.model.HeadOfficeProcess;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.model.SalesSort;
import io.salesync.headoffice.model.WriteAccess;
import io.salesync.headoffice.service.ConsumerStatus;
import io.salesync.headoffice.service.HeadOfficeServices;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.event.ComponentAdapter;
import java.awt.event.ComponentEvent;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.swing.ButtonGroup;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JPanel;
import javax.swing.JRadioButtonMenuItem;
import javax.swing.JSplitPane;
import javax.swing.JTabbedPane;
import javax.swing.KeyStroke;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.WindowConstants;

/**
 * The head office window: filters, the consolidated sales table with its totals, branch health,
 * the daily chart and the dead letters, updated live while the consumer applies changes.
 *
 * <p>Live refresh: the consumer's status says how many changes it applied (in a view-only window,
 * which has no consumer, a watch of the database says how often it saw new changes); a 500 ms timer
 * starts a refresh only when that number moved since the last one and no refresh is running, so a
 * burst of thousands of messages costs at most two refreshes a second. Every 10 s the window
 * refreshes anyway (the health verdicts depend on the time). All queries run on background threads
 * ({@link SalesRefresher}); this class touches only Swing. Event thread only.
 */
final class HeadOfficeFrame extends JFrame {

    private static final long serialVersionUID = 1L;
    private static final Dimension DEFAULT_SIZE = new Dimension(1440, 900);
    private static final int LIVE_TICK_MS = 500;
    private static final int IDLE_REFRESH_MS = 10_000;
    private static final String READ_ONLY = "View-only window: this MySQL user may only read.";
    /** Why a view-only window's user cannot retry or discard a dead letter. */
    static final String DEAD_LETTERS_READ_ONLY =
            READ_ONLY + " Retry or discard refused messages in the head office" + " service's window.";
    /** Why it cannot ask a branch for a checkpoint or a resync. */
    static final String REQUESTS_READ_ONLY = READ_ONLY + " Use the head office service's window, or"
            + " ./salesync checkpoint --branch ID and ./salesync resync --branch ID.";

    private final transient WindowMemory memory;
    private final transient Runnable onClosed;
    private final FilterBar filterBar;
    private final LazySalesTableModel model;
    private final SalesTablePanel salesPanel;
    private final BranchHealthPanel healthPanel = new BranchHealthPanel();
    private final SalesChartPanel chartPanel = new SalesChartPanel();
    private final DeadLetterPanel deadLetterPanel;
    private final JTabbedPane tabs = new JTabbedPane();
    private final StatusBar statusBar = new StatusBar();
    private final transient SalesRefresher refresher;
    private final Timer liveTimer;
    private final transient List<CompletableFuture<Void>> tableWaiters = new ArrayList<>();
    private final transient List<CompletableFuture<Void>> fullWaiters = new ArrayList<>();
    private transient HeadOfficeServices services;
    private long appliedSignal;
    private long refreshedSignal = -1;
    private long lastRefreshStarted;
    private long openDeadLetters = -1;
    private boolean closed;

    /**
     * @param memory   where window bounds, theme and column widths are remembered
     * @param onClosed run after the window closed (the application stops)
     */
    HeadOfficeFrame(WindowMemory memory, Runnable onClosed) {
        super("salesync - Head office");
        this.memory = memory;
        this.onClosed = onClosed;
        setName("headOfficeWindow");
        setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        refresher = new SalesRefresher(this);
        model = new LazySalesTableModel(refresher::loadPage);
        filterBar = new FilterBar(filter -> refreshNow(true));
        salesPanel = new SalesTablePanel(model, sort -> refreshNow(true));
        deadLetterPanel = new DeadLetterPanel(() -> refreshNow(false));

        tabs.setName("tabs");
        tabs.addTab("Sales", salesPanel);
        tabs.addTab("Dead letters", deadLetterPanel);
        JSplitPane right = new JSplitPane(JSplitPane.VERTICAL_SPLIT, healthPanel, chartPanel);
        right.setResizeWeight(0.2);
        right.setBorder(null);
        // Small minimum sizes: a label that grows inside never moves the dividers.
        tabs.setMinimumSize(new Dimension(300, 200));
        right.setMinimumSize(new Dimension(200, 200));
        JSplitPane main = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, tabs, right);
        main.setResizeWeight(0.55);
        main.setBorder(null);

        JPanel content = new JPanel(new BorderLayout());
        content.add(StatusBar.north(statusBar.banner(), filterBar), BorderLayout.NORTH);
        content.add(main, BorderLayout.CENTER);
        content.add(statusBar, BorderLayout.SOUTH);
        setContentPane(content);
        setJMenuBar(menus());

        WindowPlacement.place(this, memory, DEFAULT_SIZE);
        // the right side gets 38 % of the width, between 330 and 700 pixels; the table the rest
        main.setDividerLocation(getWidth() - Math.max(330, Math.min(700, getWidth() * 38 / 100)));
        right.setDividerLocation(Math.max(healthPanel.getMinimumSize().height, (int) (getHeight() * 0.26)));
        memory.restoreColumns(salesPanel.table(), "sales");
        // a smaller window never squeezes the branches out of view: the chart gives way first
        addComponentListener(new ComponentAdapter() {
            @Override
            public void componentResized(ComponentEvent event) {
                SwingUtilities.invokeLater(() -> {
                    int needed = healthPanel.getMinimumSize().height;
                    if (right.getDividerLocation() < needed && right.getHeight() > needed + 120) {
                        right.setDividerLocation(needed);
                    }
                });
            }
        });
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent event) {
                close();
            }
        });
        liveTimer = new Timer(LIVE_TICK_MS, event -> tick());
        liveTimer.start();
    }

    /** The database is open: start showing data. */
    public void connect(HeadOfficeServices connected) {
        this.services = connected;
        statusBar.readProblem(null);
        refresher.connect(connected);
        WriteAccess access = connected.access();
        deadLetterPanel.refuse(access.deadLetters() ? null : DEAD_LETTERS_READ_ONLY);
        healthPanel.refuse(access.requests() ? null : REQUESTS_READ_ONLY);
        statusBar.access(access.any() ? null : READ_ONLY);
        deadLetterPanel.connect(connected.deadLetters());
        healthPanel.connect(connected.requests());
        refreshNow(true);
    }

    /** A window with no consumer: the title and the status bar say so. */
    public void viewOnly() {
        setTitle(getTitle() + " (view only)");
        statusBar.viewOnly();
    }

    /** What a view-only window's watch saw: the count of changes (refreshed at the next tick when it moved). */
    public void databaseChanges(long changes, String databaseProblem) {
        appliedSignal = changes;
        statusBar.watched(databaseProblem);
    }

    /** The broker's host:port, for the sentences about it. */
    public void brokerAddress(String address) {
        statusBar.brokerAddress(address);
    }

    /** The database could not be opened yet; the launcher keeps trying. */
    public void databaseUnavailable(String sentence) {
        statusBar.databaseUnavailable(sentence);
    }

    public void showConsumerStatus(ConsumerStatus status) {
        appliedSignal = status.appliedChanges() + status.deadLettered();
        statusBar.consumer(status);
    }

    /** Saves the window state, stops the timers and threads, and tells the application. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        memory.saveBounds(this);
        memory.saveColumns(salesPanel.table(), "sales");
        liveTimer.stop();
        refresher.close();
        chartPanel.close();
        dispose();
        onClosed.run();
    }

    /** See {@link SalesRefresher#awaitClosed}; any thread but the event thread. */
    void awaitQueriesAfterClose(Duration max) throws InterruptedException {
        refresher.awaitClosed(max);
    }

    // ---- called by the refresher, on the event thread ----

    SalesFilter currentFilter() {
        return filterBar.filter();
    }

    SalesSort currentSort() {
        return salesPanel.sort();
    }

    LazySalesTableModel model() {
        return model;
    }

    SalesTablePanel salesPanel() {
        return salesPanel;
    }

    void tableRefreshed() {
        statusBar.readProblem(null);
        statusBar.updated(Instant.now());
        List<CompletableFuture<Void>> waiting = new ArrayList<>(tableWaiters);
        tableWaiters.clear();
        waiting.forEach(future -> future.complete(null));
    }

    /**
     * @param daily the chart's data, or null to keep the chart as it is
     * @param plan  what the chart's data hold (each branch, a total or both)
     */
    void sideRefreshed(
            List<BranchHealth> health,
            List<DailyTotal> daily,
            ChartPlan plan,
            List<String> branches,
            List<String> regions,
            Instant now) {
        healthPanel.show(health, now);
        if (daily != null) {
            chartPanel.show(daily, plan);
        }
        filterBar.choices(branches, regions);
        long open = health.stream().mapToLong(BranchHealth::openDeadLetters).sum();
        if (open != openDeadLetters) {
            openDeadLetters = open;
            tabs.setTitleAt(1, open == 0 ? "Dead letters" : "Dead letters (" + open + ")");
            deadLetterPanel.reload();
        }
        List<CompletableFuture<Void>> waiting = new ArrayList<>(fullWaiters);
        fullWaiters.clear();
        waiting.forEach(future -> future.complete(null));
    }

    /** Which head-office process consumes, and how many stand by. */
    void processesRefreshed(List<HeadOfficeProcess> processes, Instant now) {
        statusBar.processes(processes, now);
    }

    void readFailed(String sentence) {
        statusBar.readProblem(sentence);
    }

    /** The applied-changes count the last refresh saw. */
    void refreshedSignal(long signal) {
        refreshedSignal = signal;
    }

    long appliedSignal() {
        return appliedSignal;
    }

    // ---- the measurement surface (WindowMeasurement) and the window's tests, on the event thread ----

    /** Completes once the table and totals next show fresh data. */
    CompletableFuture<Void> whenTableRefreshed() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        tableWaiters.add(future);
        return future;
    }

    /** Completes once the chart and the health panel next show fresh data too. */
    CompletableFuture<Void> whenFullyRefreshed() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        fullWaiters.add(future);
        return future;
    }

    /** Sets the filter widgets to a filter and applies it, as the manager would. */
    void applyFilter(SalesFilter filter) {
        filterBar.show(filter);
    }

    // ---- internals ----

    private void tick() {
        if (services == null) {
            return;
        }
        boolean changed = appliedSignal != refreshedSignal;
        boolean due = System.currentTimeMillis() - lastRefreshStarted >= IDLE_REFRESH_MS;
        if ((changed || due) && !refresher.busy()) {
            refreshNow(false);
        }
    }

    private void refreshNow(boolean restart) {
        if (services == null) {
            return;
        }
        lastRefreshStarted = System.currentTimeMillis();
        refresher.refresh(restart);
    }

    private JMenuBar menus() {
        JMenuBar bar = new JMenuBar();
        JMenu file = new JMenu("File");
        file.setMnemonic(KeyEvent.VK_F);
        JMenuItem export = new JMenuItem("Export filtered rows to CSV...");
        export.setName("exportCsv");
        export.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_E, InputEvent.CTRL_DOWN_MASK));
        export.addActionListener(event -> chooseExportFile());
        JMenuItem exit = new JMenuItem("Exit");
        exit.setName("exit");
        exit.addActionListener(event -> close());
        file.add(export);
        file.addSeparator();
        file.add(exit);

        JMenu view = new JMenu("View");
        view.setMnemonic(KeyEvent.VK_V);
        JMenuItem refresh = new JMenuItem("Refresh now");
        refresh.setName("refreshNow");
        refresh.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_F5, 0));
        refresh.addActionListener(event -> refreshNow(false));
        view.add(refresh);
        view.addSeparator();
        ButtonGroup themes = new ButtonGroup();
        for (Theme theme : Theme.values()) {
            JRadioButtonMenuItem item = new JRadioButtonMenuItem(theme.label() + " theme", theme == memory.theme());
            item.setName("theme." + theme.name());
            item.addActionListener(event -> {
                theme.install();
                memory.saveTheme(theme);
            });
            themes.add(item);
            view.add(item);
        }
        bar.add(file);
        bar.add(view);
        return bar;
    }

    private void chooseExportFile() {
        if (services == null) {
            statusBar.message("Nothing to export until the database answers.");
            return;
        }
        JFileChooser chooser = new JFileChooser();
        chooser.setName("exportChooser");
        chooser.setSelectedFile(new File("salesync-sales.csv"));
        if (chooser.showSaveDialog(this) == JFileChooser.APPROVE_OPTION) {
            exportTo(chooser.getSelectedFile().toPath());
        }
    }

    /** Exports the rows of the current filter, in the current order, with a progress bar. */
    void exportTo(Path file) {
        new CsvExportWorker(
                        services.exporter(),
                        filterBar.filter(),
                        salesPanel.sort(),
                        model.getRowCount(),
                        file,
                        statusBar.progress(),
                        statusBar::message,
                        error -> ErrorReporter.show(this, "Could not export the sales to " + file, error))
                .execute();
    }
}
