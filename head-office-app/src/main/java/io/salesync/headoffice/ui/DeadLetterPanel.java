package io.salesync.headoffice.ui;

import io.salesync.desktop.ErrorReporter;
import io.salesync.desktop.FittingTable;
import io.salesync.desktop.ListTableModel;
import io.salesync.headoffice.model.DeadLetterEntry;
import io.salesync.headoffice.service.DeadLetterService;
import java.awt.BorderLayout;
import java.awt.Component;
import java.util.List;
import java.util.concurrent.ExecutionException;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTable;
import javax.swing.JTextArea;
import javax.swing.ListSelectionModel;
import javax.swing.SwingWorker;
import javax.swing.table.DefaultTableCellRenderer;
import net.miginfocom.swing.MigLayout;

/**
 * The messages the consumer refused, newest first, with their reason; the selected one's body
 * below. Retry publishes it again (it is validated again), Discard marks it handled; both ask first.
 * Event thread only; the service runs in SwingWorkers.
 */
final class DeadLetterPanel extends JPanel {

    private static final long serialVersionUID = 1L;
    private static final String[] COLUMNS = {"Received", "Branch", "Routing key", "Message id", "Reason", "Status"};

    private final DeadLetterModel model = new DeadLetterModel();
    private final JTable table = new FittingTable(model);
    private final JTextArea body = new JTextArea(6, 40);
    private final JCheckBox showHandled = new JCheckBox("Show retried and discarded");
    private final JButton retry = new JButton("Retry...");
    private final JButton discard = new JButton("Discard...");
    private final JLabel summary = new JLabel(" ");
    private transient DeadLetterService service;
    private String refused;
    private final transient Runnable changed;
    private boolean loading;
    private boolean reloadAgain;

    /** @param changed told after a retry or discard (the window refreshes its counts) */
    DeadLetterPanel(Runnable changed) {
        super(new BorderLayout());
        this.changed = changed;
        setName("deadLetterPanel");
        table.setName("deadLetters");
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.setFillsViewportHeight(true);
        // every cell's whole text is its tooltip, and the selected message is shown in full below
        table.setDefaultRenderer(Object.class, new DefaultTableCellRenderer() {
            private static final long serialVersionUID = 1L;

            @Override
            public Component getTableCellRendererComponent(
                    JTable t, Object value, boolean selected, boolean focused, int row, int column) {
                super.getTableCellRendererComponent(t, value, selected, focused, row, column);
                String text = getText();
                setToolTipText(
                        text == null || text.isBlank()
                                ? null
                                : "<html><p width=480>"
                                        + text.replace("&", "&amp;")
                                                .replace("<", "&lt;")
                                                .replace(">", "&gt;") + "</p></html>");
                return this;
            }
        });
        int[] widths = {140, 50, 80, 80, 420, 70};
        int[] minimums = {135, 50, 70, 70, 160, 70};
        for (int column = 0; column < widths.length; column++) {
            table.getColumnModel().getColumn(column).setPreferredWidth(widths[column]);
            table.getColumnModel().getColumn(column).setMinWidth(minimums[column]);
        }
        body.setName("deadLetterBody");
        body.setEditable(false);
        body.setLineWrap(true);
        body.setWrapStyleWord(true);
        body.putClientProperty("FlatLaf.styleClass", "monospaced");
        showHandled.setName("showHandled");
        retry.setName("retryDeadLetter");
        discard.setName("discardDeadLetter");
        summary.setName("deadLetterSummary");
        JButton reload = new JButton("Reload");
        reload.setName("reloadDeadLetters");

        // Buttons first and the summary last with no minimum width: a longer summary never moves a
        // button or widens the tab (which would move the split pane's divider).
        JPanel actions = new JPanel(new MigLayout("insets 6 8 6 8, gap 8", "[][][]16[]16[grow, 0:0:]"));
        actions.add(retry);
        actions.add(discard);
        actions.add(reload);
        actions.add(showHandled);
        actions.add(summary, "wmin 0");

        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, new JScrollPane(table), new JScrollPane(body));
        split.setResizeWeight(0.75);
        add(actions, BorderLayout.NORTH);
        add(split, BorderLayout.CENTER);

        table.getSelectionModel().addListSelectionListener(event -> selectionChanged());
        showHandled.addActionListener(event -> reload());
        reload.addActionListener(event -> reload());
        retry.addActionListener(event -> decide(true));
        discard.addActionListener(event -> decide(false));
        selectionChanged();
    }

    void connect(DeadLetterService deadLetters) {
        this.service = deadLetters;
        reload();
    }

    /** Why this window's user may not retry or discard (the buttons stay off and say so), or null when it may. */
    void refuse(String reason) {
        refused = reason;
        if (reason != null) {
            retry.setToolTipText(reason);
            discard.setToolTipText(reason);
        }
        selectionChanged();
    }

    JTable table() {
        return table;
    }

    /** Reads the list again in the background, keeping the selected message selected. */
    void reload() {
        if (service == null) {
            return;
        }
        if (loading) {
            reloadAgain = true;
            return;
        }
        loading = true;
        boolean handled = showHandled.isSelected();
        DeadLetterService deadLetters = service;
        new SwingWorker<List<DeadLetterEntry>, Void>() {
            @Override
            protected List<DeadLetterEntry> doInBackground() {
                return deadLetters.list(handled);
            }

            @Override
            protected void done() {
                loading = false;
                try {
                    show(get());
                } catch (ExecutionException e) {
                    summary.setText(
                            "Could not read the dead letters: " + e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (reloadAgain) {
                    reloadAgain = false;
                    reload();
                }
            }
        }.execute();
    }

    private void show(List<DeadLetterEntry> entries) {
        DeadLetterEntry selected = selected();
        model.setRows(entries);
        long open = entries.stream().filter(DeadLetterEntry::open).count();
        summary.setText(
                open == 0
                        ? "No refused message waits for a decision."
                        : open + " refused message(s) wait for a decision.");
        if (selected != null) {
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).id() == selected.id()) {
                    table.setRowSelectionInterval(i, i);
                }
            }
        }
        selectionChanged();
    }

    private DeadLetterEntry selected() {
        int row = table.getSelectedRow();
        return row < 0 || row >= model.getRowCount() ? null : model.row(row);
    }

    private void selectionChanged() {
        DeadLetterEntry entry = selected();
        retry.setEnabled(refused == null && entry != null && entry.retryable());
        discard.setEnabled(refused == null && entry != null && entry.open());
        if (entry == null) {
            body.setText("");
            return;
        }
        // the selected message in full: what a narrow Reason column cuts is read here
        String heading = "Refused " + Formats.time(entry.receivedAt()) + ", claimed branch "
                + (entry.claimedBranch() == null ? "?" : entry.claimedBranch()) + ", routing key " + entry.routingKey()
                + ", message " + entry.messageId() + " (" + entry.status() + ")\nReason: " + entry.reason() + "\n\n";
        if (entry.bodyPreview() == null) {
            body.setText(heading + "(The body of this message was not kept; the broker's dead-letter queue has it.)");
        } else {
            body.setText(heading
                    + entry.bodyPreview()
                    + (entry.bodySize() > entry.bodyPreview().length()
                            ? "\n... (" + entry.bodySize() + " bytes)"
                            : ""));
        }
        body.setCaretPosition(0);
    }

    private void decide(boolean retrying) {
        DeadLetterEntry entry = selected();
        if (entry == null || service == null) {
            return;
        }
        String question = retrying
                ? "Publish message " + label(entry) + " again to " + entry.routingKey() + "?\n"
                        + "It is checked again like any new message, and refused again if it is still wrong."
                : "Discard message " + label(entry)
                        + "?\nIt stops showing here; the broker's dead-letter queue keeps its copy.";
        // Named answers; a destructive one is never the default: Enter on "Discard?" keeps the message.
        Object[] options = retrying ? new Object[] {"Retry", "Cancel"} : new Object[] {"Discard", "Keep"};
        int answer = JOptionPane.showOptionDialog(
                this,
                question,
                retrying ? "Retry message" : "Discard message",
                JOptionPane.YES_NO_OPTION,
                retrying ? JOptionPane.QUESTION_MESSAGE : JOptionPane.WARNING_MESSAGE,
                null,
                options,
                options[retrying ? 0 : 1]);
        if (answer != 0) {
            return;
        }
        retry.setEnabled(false);
        discard.setEnabled(false);
        DeadLetterService deadLetters = service;
        long id = entry.id();
        new SwingWorker<Void, Void>() {
            @Override
            protected Void doInBackground() {
                if (retrying) {
                    deadLetters.retry(id);
                } else {
                    deadLetters.discard(id);
                }
                return null;
            }

            @Override
            protected void done() {
                try {
                    get();
                } catch (ExecutionException e) {
                    ErrorReporter.show(
                            DeadLetterPanel.this,
                            retrying ? "Could not retry the message" : "Could not discard the message",
                            e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                reload();
                changed.run();
            }
        }.execute();
    }

    private static String label(DeadLetterEntry entry) {
        return entry.messageId() != null ? entry.messageId() : "#" + entry.id();
    }

    private static final class DeadLetterModel extends ListTableModel<DeadLetterEntry> {

        private static final long serialVersionUID = 1L;

        DeadLetterModel() {
            super(COLUMNS);
        }

        @Override
        protected Object valueAt(DeadLetterEntry entry, int column) {
            return switch (column) {
                case 0 -> Formats.time(entry.receivedAt());
                case 1 -> entry.claimedBranch() == null ? "?" : entry.claimedBranch();
                case 2 -> entry.routingKey();
                case 3 -> entry.messageId();
                case 4 -> entry.reason();
                default -> entry.status();
            };
        }
    }
}
