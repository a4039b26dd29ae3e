package io.salesync.headoffice.ui;

import io.salesync.common.event.BranchCommand;
import io.salesync.desktop.DotIcon;
import io.salesync.desktop.ErrorReporter;
import io.salesync.desktop.FittingTable;
import io.salesync.desktop.ListTableModel;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.Health;
import io.salesync.headoffice.model.Verification;
import io.salesync.headoffice.service.BranchRequests;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
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
import javax.swing.ListSelectionModel;
import javax.swing.SwingConstants;
import javax.swing.SwingWorker;
import javax.swing.UIManager;
import javax.swing.table.DefaultTableCellRenderer;

/**
 * One line per branch: a coloured status, last message, the sequence number up to which every
 * change arrived, the latest checkpoint's verdict, rows held and dead letters. Below, two requests
 * for the selected branch: <i>Verify now</i> (a checkpoint) and <i>Resync</i> (resend everything).
 * The status colours are FlatLaf's action colours (green, yellow, red). Event thread only; requests
 * are sent in a SwingWorker.
 */
final class BranchHealthPanel extends JPanel {

    private static final long serialVersionUID = 1L;
    private static final String[] COLUMNS = {
        "Branch", "Status", "Last change", "Complete to", "Verified", "Rows", "Refused", "Why"
    };

    private final HealthModel model = new HealthModel();
    private final JTable table = new FittingTable(model);
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
        table.setDefaultRenderer(Object.class, new FullTextRenderer(SwingConstants.LEADING));
        table.getColumnModel().getColumn(1).setCellRenderer(new StatusRenderer());
        for (int column : new int[] {3, 5, 6}) {
            table.getColumnModel().getColumn(column).setCellRenderer(new FullTextRenderer(SwingConstants.RIGHT));
        }
        // The short columns never give way: each is as wide as its longest word can be.
        int[] widths = {58, 96, 92, 80, 132, 56, 92, 165};
        for (int column = 0; column < widths.length; column++) {
            table.getColumnModel().getColumn(column).setPreferredWidth(widths[column]);
            table.getColumnModel().getColumn(column).setMinWidth(column == 7 ? 80 : widths[column]);
        }
        table.setAutoResizeMode(JTable.AUTO_RESIZE_LAST_COLUMN);
        table.getTableHeader()
                .setToolTipText(
                        "Complete to: every change of the branch up to this number has arrived."
                                + " Verified: the branch's latest checkpoint (its row count and checksum) compared with the head office's rows."
                                + " Refused: messages dead-lettered in the branch's name (open = not yet retried or discarded).");
        table.getSelectionModel().addListSelectionListener(event -> selectionChanged());
        JLabel title = new JLabel("Branch health");
        title.putClientProperty("FlatLaf.styleClass", "h4");
        title.setBorder(BorderFactory.createEmptyBorder(6, 8, 6, 8));
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
        add(title, BorderLayout.NORTH);
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

    void show(List<BranchHealth> branches, Instant now) {
        String selected = selectedBranch();
        model.now = now;
        model.setRows(branches);
        for (int row = 0; row < branches.size(); row++) {
            if (branches.get(row).branchId().equals(selected)) {
                table.setRowSelectionInterval(row, row);
            }
        }
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
                        : describe(model.row(table.convertRowIndexToModel(row)), model.now));
        detail.setCaretPosition(0);
    }

    /** Everything the row says about a branch, in full sentences. */
    static String describe(BranchHealth branch, Instant now) {
        StringBuilder text = new StringBuilder();
        text.append(branch.branchId())
                .append(": ")
                .append(branch.health().label())
                .append(". ")
                .append(branch.why());
        if (!branch.why().endsWith(".")) {
            text.append('.');
        }
        text.append(" Last change made ")
                .append(Formats.ago(branch.lastMessageAt(), now))
                .append(" (")
                .append(Formats.time(branch.lastMessageAt()))
                .append("), applied here at ")
                .append(Formats.time(branch.lastAppliedAt()))
                .append(". Complete to change ")
                .append(Formats.count(
                        branch.verification() == null
                                ? branch.lastSeq()
                                : branch.verification().contiguousSeq()))
                .append("; ")
                .append(Formats.count(branch.rowsHeld()))
                .append(" sales held.");
        Verification v = branch.verification();
        if (v != null && v.checkpoint() != null) {
            text.append(" Latest checkpoint: ").append(v.checkpoint().verdict()).append('.');
        } else {
            text.append(" No checkpoint yet.");
        }
        if (branch.deadLettered() > 0) {
            text.append(' ')
                    .append(Formats.count(branch.deadLettered()))
                    .append(" message(s) refused, ")
                    .append(Formats.count(branch.openDeadLetters()))
                    .append(" waiting for a decision (Dead letters tab).");
        }
        return text.toString();
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

    /** The colour of a verdict, from the look and feel. */
    static Color colour(Health health) {
        String key = switch (health) {
            case HEALTHY -> "Actions.Green";
            case LAGGING -> "Actions.Yellow";
            case SILENT, DIVERGED -> "Actions.Red";
            case CLOSED -> "Label.disabledForeground";
        };
        Color colour = UIManager.getColor(key);
        return colour != null ? colour : UIManager.getColor("Label.foreground");
    }

    /** "matched 12:05", "diverged", "resync 40%", "gap", or "–" before the first checkpoint. */
    static String verified(BranchHealth branch) {
        Verification v = branch.verification();
        if (v == null) {
            return "–";
        }
        if (v.resync() != null && v.resync().running()) {
            return "resync " + v.resync().percent() + "%";
        }
        if (branch.gapReported()) {
            return "gap";
        }
        Verification.Checkpoint checkpoint = v.checkpoint();
        if (checkpoint == null) {
            return "–";
        }
        return (checkpoint.matched() ? "matched " : "diverged ") + Formats.time(checkpoint.evaluatedAt());
    }

    private static final class HealthModel extends ListTableModel<BranchHealth> {

        private static final long serialVersionUID = 1L;

        private transient Instant now = Instant.now();

        HealthModel() {
            super(COLUMNS);
        }

        @Override
        protected Object valueAt(BranchHealth branch, int column) {
            return switch (column) {
                case 0 -> branch.branchId();
                case 1 -> branch;
                case 2 -> Formats.ago(branch.lastMessageAt(), now);
                case 3 ->
                    Formats.count(
                            branch.verification() == null
                                    ? branch.lastSeq()
                                    : branch.verification().contiguousSeq());
                case 4 -> verified(branch);
                case 5 -> Formats.count(branch.rowsHeld());
                case 6 ->
                    branch.openDeadLetters() == 0
                            ? Formats.count(branch.deadLettered())
                            : branch.openDeadLetters() == branch.deadLettered()
                                    ? Formats.count(branch.openDeadLetters()) + " open"
                                    : Formats.count(branch.openDeadLetters()) + " open / "
                                            + Formats.count(branch.deadLettered());
                default -> branch.why();
            };
        }
    }

    /** Text with its whole value as the tooltip, so that a cell cut by a narrow column can still be read. */
    private static final class FullTextRenderer extends DefaultTableCellRenderer {

        private static final long serialVersionUID = 1L;

        FullTextRenderer(int alignment) {
            setHorizontalAlignment(alignment);
        }

        @Override
        public Component getTableCellRendererComponent(
                JTable table, Object value, boolean selected, boolean focused, int row, int column) {
            super.getTableCellRendererComponent(table, value, selected, focused, row, column);
            String text = getText();
            setToolTipText(text == null || text.isBlank() ? null : text);
            return this;
        }
    }

    /** A filled dot in the verdict's colour, its name, and the reason as a tooltip. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static final class StatusRenderer extends DefaultTableCellRenderer {

        private static final long serialVersionUID = 1L;

        @Override
        public Component getTableCellRendererComponent(
                JTable table, Object value, boolean selected, boolean focused, int row, int column) {
            super.getTableCellRendererComponent(table, value, selected, focused, row, column);
            if (value instanceof BranchHealth branch) {
                setText(branch.health().label());
                setIcon(DotIcon.of(colour(branch.health())));
                setToolTipText("<html>" + branch.health().label() + ": " + escape(branch.why())
                        + "<br>Last message made at " + Formats.time(branch.lastMessageAt()) + "<br>Applied here at "
                        + Formats.time(branch.lastAppliedAt()) + "</html>");
            }
            return this;
        }
    }
}
