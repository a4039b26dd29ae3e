package io.salesync.headoffice.ui;

import io.salesync.desktop.DotIcon;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.Health;
import io.salesync.headoffice.model.Verification;
import java.awt.Color;
import java.awt.Component;
import java.time.Instant;
import javax.swing.JTable;
import javax.swing.UIManager;
import javax.swing.table.DefaultTableCellRenderer;

/**
 * How the health panel shows a branch: the status cell (a dot in the verdict's colour, FlatLaf's
 * green, yellow and red), every other cell with its whole text as the tooltip, and the selected
 * branch in full sentences for the detail pane. Event thread only.
 */
final class BranchHealthCells {

    private BranchHealthCells() {}

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
        if (branch.lastHeartbeatAt() != null) {
            text.append(" Heartbeat received ")
                    .append(Formats.ago(branch.lastHeartbeatAt(), now))
                    .append(" (")
                    .append(Formats.time(branch.lastHeartbeatAt()))
                    .append("): written up to change ")
                    .append(Formats.count(branch.reportedSeq()))
                    .append(", ")
                    .append(Formats.count(Math.max(0, branch.outboxBacklog())))
                    .append(" not yet confirmed by RabbitMQ.");
        } else {
            text.append(" No heartbeat received.");
        }
        text.append(" Last change made ")
                .append(Formats.ago(branch.lastMessageAt(), now))
                .append(" (")
                .append(Formats.time(branch.lastMessageAt()))
                .append("), applied here at ")
                .append(Formats.time(branch.lastAppliedAt()))
                .append(". Complete to change ")
                .append(Formats.count(BranchHealthModel.completeTo(branch)))
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

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Text with its whole value as the tooltip, so that a cell cut by a narrow column can still be read. */
    static final class FullText extends DefaultTableCellRenderer {

        private static final long serialVersionUID = 1L;

        FullText(int alignment) {
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
    static final class Status extends DefaultTableCellRenderer {

        private static final long serialVersionUID = 1L;

        @Override
        public Component getTableCellRendererComponent(
                JTable table, Object value, boolean selected, boolean focused, int row, int column) {
            super.getTableCellRendererComponent(table, value, selected, focused, row, column);
            if (value instanceof BranchHealth branch) {
                setText(branch.health().label());
                setIcon(DotIcon.of(colour(branch.health())));
                setToolTipText("<html>" + branch.health().label() + ": " + escape(branch.why())
                        + "<br>Last heard " + Formats.time(BranchHealthModel.lastHeard(branch))
                        + "<br>Last message made at " + Formats.time(branch.lastMessageAt()) + "<br>Applied here at "
                        + Formats.time(branch.lastAppliedAt()) + "</html>");
            }
            return this;
        }
    }
}
