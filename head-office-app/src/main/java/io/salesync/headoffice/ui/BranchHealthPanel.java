package io.salesync.headoffice.ui;

import io.salesync.common.event.BranchCommand;
import io.salesync.desktop.ErrorReporter;
import io.salesync.desktop.FittingTable;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.service.BranchRequests;
import io.salesync.headoffice.service.HealthSummary;
import java.awt.BorderLayout;
import java.awt.Container;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Insets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.ListSelectionModel;
import javax.swing.SwingConstants;
import javax.swing.SwingWorker;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;

/**
 * One line per branch, worst first, under a one-line summary of all of them ("197 healthy, 2
 * silent") and a search box that keeps the branches whose id contains its text: a coloured status,
 * when the branch was last heard from (heartbeat or change), the sequence number up to which every
 * change arrived, the latest checkpoint's verdict, rows held and dead letters. Below, two requests
 * for the selected branch: <i>Verify now</i> (a checkpoint) and <i>Resync</i> (resend everything).
 * Every cell shows its whole text as a tooltip, and the selected branch is described in full below
 * ({@link BranchHealthCells}); the rows are {@link BranchHealthModel}'s. Event thread only; requests
 * are sent in a SwingWorker.
 */
final class BranchHealthPanel extends JPanel {

    private static final long serialVersionUID = 1L;

    private final BranchHealthModel model = new BranchHealthModel();
    private final JTable table = new FittingTable(model);
    private final JLabel summary = new JLabel(" ");
    private final JTextField search = new JTextField(12);
    private final JButton verify = new JButton("Verify now");
    private final JButton resync = new JButton("Resync…");
    private final JTextArea detail = new JTextArea(2, 30);
    private transient BranchRequests requests;
    private String refused;

    BranchHealthPanel() {
        super(new BorderLayout());
        setName("branchHealthPanel");
        table.setName("branchHealth");
        table.setFillsViewportHeight(true);
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.getTableHeader().setReorderingAllowed(false);
        table.setDefaultRenderer(Object.class, new BranchHealthCells.FullText(SwingConstants.LEADING));
        table.getColumnModel().getColumn(1).setCellRenderer(new BranchHealthCells.Status());
        for (int column : new int[] {3, 5, 6}) {
            table.getColumnModel()
                    .getColumn(column)
                    .setCellRenderer(new BranchHealthCells.FullText(SwingConstants.RIGHT));
        }
        // The short columns never give way: each is as wide as its longest word can be.
        int[] widths = {76, 96, 92, 80, 132, 56, 92, 165};
        for (int column = 0; column < widths.length; column++) {
            table.getColumnModel().getColumn(column).setPreferredWidth(widths[column]);
            table.getColumnModel().getColumn(column).setMinWidth(column == BranchHealthModel.WHY ? 80 : widths[column]);
        }
        table.setAutoResizeMode(JTable.AUTO_RESIZE_LAST_COLUMN);
        table.getTableHeader()
                .setToolTipText(
                        "Last heard: the branch's latest heartbeat or change."
                                + " Complete to: every change of the branch up to this number has arrived."
                                + " Verified: the branch's latest checkpoint (its row count and checksum) compared with the head office's rows."
                                + " Refused: messages dead-lettered in the branch's name (open = not yet retried or discarded).");
        table.getSelectionModel().addListSelectionListener(event -> selectionChanged());
        JLabel title = new JLabel("Branch health");
        title.putClientProperty("FlatLaf.styleClass", "h4");
        summary.setName("branchHealthSummary");
        search.setName("healthSearch");
        search.putClientProperty("JTextField.placeholderText", "Find branch");
        search.putClientProperty("JTextField.showClearButton", true);
        search.setToolTipText("Shows only the branches whose id contains this text");
        search.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent event) {
                searchChanged();
            }

            @Override
            public void removeUpdate(DocumentEvent event) {
                searchChanged();
            }

            @Override
            public void changedUpdate(DocumentEvent event) {
                searchChanged();
            }
        });
        // the title and the search box, and under them the one-line summary of every branch
        JPanel north = new JPanel(new BorderLayout(8, 2));
        north.setBorder(BorderFactory.createEmptyBorder(6, 8, 4, 8));
        north.add(title, BorderLayout.WEST);
        north.add(search, BorderLayout.EAST);
        north.add(summary, BorderLayout.SOUTH);
        verify.setName("verifyBranch");
        verify.setToolTipText(
                "Ask the selected branch for a checkpoint now: its figures are compared with the head office's.");
        resync.setName("resyncBranch");
        resync.setToolTipText("Ask the selected branch to resend every sale; rows it no longer has are removed here.");
        verify.addActionListener(event -> request(BranchCommand.Action.CHECKPOINT));
        resync.addActionListener(event -> request(BranchCommand.Action.RESYNC));
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.LEFT, 6, 4));
        buttons.add(verify);
        buttons.add(resync);
        // The selected branch in full: whatever a narrow column cuts, read here.
        detail.setName("branchDetail");
        detail.setEditable(false);
        detail.setLineWrap(true);
        detail.setWrapStyleWord(true);
        detail.setOpaque(false);
        detail.setBorder(BorderFactory.createEmptyBorder(2, 8, 2, 8));
        detail.setText("Select a branch to read its state in full.");
        // three lines at most, then it scrolls: a long verdict never squeezes the table out of view
        JScrollPane detailScroll =
                new JScrollPane(
                        detail, JScrollPane.VERTICAL_SCROLLBAR_AS_NEEDED, JScrollPane.HORIZONTAL_SCROLLBAR_NEVER) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public Dimension getPreferredSize() {
                        // whole lines only, in the current theme's font
                        Insets margin = detail.getInsets();
                        int line = detail.getFontMetrics(detail.getFont()).getHeight();
                        return new Dimension(100, 3 * line + margin.top + margin.bottom);
                    }
                };
        detailScroll.setName("branchDetailScroll");
        detailScroll.setBorder(BorderFactory.createEmptyBorder());
        detailScroll.setOpaque(false);
        detailScroll.getViewport().setOpaque(false);
        JPanel south = new JPanel(new BorderLayout());
        south.add(detailScroll, BorderLayout.CENTER);
        south.add(buttons, BorderLayout.SOUTH);
        JScrollPane scroll = new JScrollPane(table);
        scroll.setName("branchHealthScroll");
        add(north, BorderLayout.NORTH);
        add(scroll, BorderLayout.CENTER);
        add(south, BorderLayout.SOUTH);
        selectionChanged();
    }

    /**
     * Tall enough for the title, up to three branches, the detail lines and the buttons: a split
     * pane or a smaller window never squeezes the branches out of view.
     */
    @Override
    public Dimension getMinimumSize() {
        Dimension minimum = super.getMinimumSize();
        if (table == null || detail == null) {
            return minimum;
        }
        int rows = Math.max(2, Math.min(3, table.getRowCount()));
        JScrollPane scroll = (JScrollPane) getComponent(1);
        Insets insets = scroll.getInsets();
        // the sideways scroll bar, when the columns do not fit, takes its height from the rows
        int height = getComponent(0).getPreferredSize().height
                + insets.top
                + insets.bottom
                + table.getTableHeader().getPreferredSize().height
                + rows * table.getRowHeight()
                + scroll.getHorizontalScrollBar().getPreferredSize().height
                + 2
                + ((Container) getComponent(2)).getPreferredSize().height;
        return new Dimension(minimum.width, height);
    }

    void connect(BranchRequests branchRequests) {
        this.requests = branchRequests;
        selectionChanged();
    }

    /** Why this window's user may not send requests (the buttons stay off and say so), or null when it may. */
    void refuse(String reason) {
        refused = reason;
        if (reason != null) {
            verify.setToolTipText(reason);
            resync.setToolTipText(reason);
        }
        selectionChanged();
    }

    /** Every branch as read now: shown worst first, those the search leaves, with the summary above. */
    void show(List<BranchHealth> branches, Instant now) {
        String selected = selectedBranch();
        model.setAll(branches, now);
        reselect(selected);
    }

    private void searchChanged() {
        String selected = selectedBranch();
        model.setSearch(search.getText());
        reselect(selected);
    }

    private void reselect(String branch) {
        for (int row = 0; row < model.getRowCount(); row++) {
            if (model.row(row).branchId().equals(branch)) {
                table.setRowSelectionInterval(row, row);
            }
        }
        String line = HealthSummary.line(model.all());
        summary.setText(model.filtered() ? line + " (" + model.getRowCount() + " shown)" : line);
        summary.setToolTipText(summary.getText());
        selectionChanged();
    }

    JTable table() {
        return table;
    }

    private String selectedBranch() {
        int row = table.getSelectedRow();
        return row < 0 ? null : model.row(table.convertRowIndexToModel(row)).branchId();
    }

    private void selectionChanged() {
        boolean enabled = requests != null && refused == null && selectedBranch() != null;
        verify.setEnabled(enabled);
        resync.setEnabled(enabled);
        int row = table.getSelectedRow();
        detail.setText(
                row < 0
                        ? "Select a branch to read its state in full."
                        : BranchHealthCells.describe(model.row(table.convertRowIndexToModel(row)), model.now()));
        detail.setCaretPosition(0);
    }

    private void request(BranchCommand.Action action) {
        String branch = selectedBranch();
        if (branch == null || requests == null) {
            return;
        }
        if (action == BranchCommand.Action.RESYNC) {
            // it removes rows here: the safe answer is the default
            Object[] options = {"Resync", "Cancel"};
            int answer = JOptionPane.showOptionDialog(
                    this,
                    "Ask branch " + branch + " to resend every sale it holds?\n"
                            + "Sales it no longer has are then removed here. The branch keeps working meanwhile;\n"
                            + "the status shows the progress.",
                    "Resync " + branch,
                    JOptionPane.YES_NO_OPTION,
                    JOptionPane.WARNING_MESSAGE,
                    null,
                    options,
                    options[1]);
            if (answer != 0) {
                return;
            }
        }
        BranchRequests branchRequests = requests;
        BranchCommand command = BranchCommand.of(
                branch, action, Instant.now(), "head-office window (" + System.getProperty("user.name", "?") + ")");
        verify.setEnabled(false);
        resync.setEnabled(false);
        new SwingWorker<Void, Void>() {
            @Override
            protected Void doInBackground() {
                branchRequests.send(command);
                return null;
            }

            @Override
            protected void done() {
                try {
                    get();
                } catch (ExecutionException e) {
                    ErrorReporter.show(
                            BranchHealthPanel.this, "Could not send the request to branch " + branch, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                selectionChanged();
            }
        }.execute();
    }
}
