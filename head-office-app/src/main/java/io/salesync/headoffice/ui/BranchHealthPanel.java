package io.salesync.headoffice.ui;

import io.salesync.desktop.DotIcon;
import io.salesync.desktop.ListTableModel;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.Health;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.time.Instant;
import java.util.List;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.SwingConstants;
import javax.swing.UIManager;
import javax.swing.table.DefaultTableCellRenderer;

/**
 * One line per branch: a coloured status, last message, highest sequence applied, outbox backlog
 * (n/a: the head office cannot see branch databases), rows held and dead letters. The status
 * colours are FlatLaf's action colours (green, yellow, red). Event thread only.
 */
final class BranchHealthPanel extends JPanel {

    private static final long serialVersionUID = 1L;
    private static final String[] COLUMNS = {"Branch", "Status", "Last change", "Seq", "Backlog", "Rows", "Refused", "Why"};

    private final HealthModel model = new HealthModel();
    private final JTable table = new JTable(model);

    BranchHealthPanel() {
        super(new BorderLayout());
        setName("branchHealthPanel");
        table.setName("branchHealth");
        table.setFillsViewportHeight(true);
        table.setRowSelectionAllowed(false);
        table.getTableHeader().setReorderingAllowed(false);
        table.getColumnModel().getColumn(1).setCellRenderer(new StatusRenderer());
        DefaultTableCellRenderer right = new DefaultTableCellRenderer();
        right.setHorizontalAlignment(SwingConstants.RIGHT);
        for (int column = 3; column < COLUMNS.length - 1; column++) {
            table.getColumnModel().getColumn(column).setCellRenderer(right);
        }
        int[] widths = {58, 85, 92, 40, 62, 50, 68, 165};
        for (int column = 0; column < widths.length; column++) {
            table.getColumnModel().getColumn(column).setPreferredWidth(widths[column]);
        }
        table.setAutoResizeMode(JTable.AUTO_RESIZE_LAST_COLUMN);
        table.getTableHeader().setToolTipText("Backlog: changes waiting at the branch, not visible from the head office."
                + " Refused: messages dead-lettered in the branch's name (open = not yet retried or discarded).");
        JLabel title = new JLabel("Branch health");
        title.putClientProperty("FlatLaf.styleClass", "h4");
        title.setBorder(javax.swing.BorderFactory.createEmptyBorder(6, 8, 6, 8));
        add(title, BorderLayout.NORTH);
        add(new JScrollPane(table), BorderLayout.CENTER);
    }

    void show(List<BranchHealth> branches, Instant now) {
        model.now = now;
        model.setRows(branches);
    }

    JTable table() {
        return table;
    }

    /** The colour of a verdict, from the look and feel. */
    static Color colour(Health health) {
        String key = switch (health) {
            case HEALTHY -> "Actions.Green";
            case LAGGING -> "Actions.Yellow";
            case SILENT -> "Actions.Red";
        };
        Color colour = UIManager.getColor(key);
        return colour != null ? colour : UIManager.getColor("Label.foreground");
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
                case 3 -> Formats.count(branch.lastSeq());
                case 4 -> branch.outboxBacklog() < 0 ? "n/a" : Formats.count(branch.outboxBacklog());
                case 5 -> Formats.count(branch.rowsHeld());
                case 6 -> branch.openDeadLetters() == 0 ? Formats.count(branch.deadLettered())
                        : branch.openDeadLetters() == branch.deadLettered() ? Formats.count(branch.openDeadLetters()) + " open"
                        : Formats.count(branch.openDeadLetters()) + " open / " + Formats.count(branch.deadLettered());
                default -> branch.why();
            };
        }
    }

    /** A filled dot in the verdict's colour, its name, and the reason as a tooltip. */
    private static final class StatusRenderer extends DefaultTableCellRenderer {

        private static final long serialVersionUID = 1L;

        @Override
        public Component getTableCellRendererComponent(JTable table, Object value, boolean selected, boolean focused,
                                                       int row, int column) {
            super.getTableCellRendererComponent(table, value, selected, focused, row, column);
            if (value instanceof BranchHealth branch) {
                setText(branch.health().label());
                setIcon(DotIcon.of(colour(branch.health())));
                setToolTipText("<html>" + branch.why() + "<br>Last message made at " + Formats.time(branch.lastMessageAt())
                        + "<br>Applied here at " + Formats.time(branch.lastAppliedAt()) + "</html>");
            }
            return this;
        }
    }
}
