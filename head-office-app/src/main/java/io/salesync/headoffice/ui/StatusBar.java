package io.salesync.headoffice.ui;

import io.salesync.common.db.DatabaseProblem;
import io.salesync.headoffice.service.ConsumerStatus;
import java.awt.BorderLayout;
import java.awt.Color;
import java.time.Instant;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.UIManager;
import net.miginfocom.swing.MigLayout;

/**
 * The line at the bottom (broker, database, last update, export progress) and the banner at the
 * top that says plainly when live data has stopped and why. Event thread only.
 */
final class StatusBar extends JPanel {

    private static final long serialVersionUID = 1L;

    private final JLabel broker = new JLabel("Broker: connecting...");
    private final JLabel database = new JLabel("Database: connecting...");
    private final JLabel updated = new JLabel(" ");
    private final JLabel message = new JLabel(" ");
    private final JProgressBar progress = new JProgressBar(0, 100);
    private final JLabel banner = new JLabel();
    private String databaseProblem;
    private String brokerProblem;
    private String readProblem;

    StatusBar() {
        super(new MigLayout("insets 3 8 3 8, gap 16", "[][][]push[][]"));
        setName("statusBar");
        broker.setName("brokerStatus");
        database.setName("databaseStatus");
        updated.setName("lastUpdate");
        message.setName("statusMessage");
        progress.setName("exportProgress");
        progress.setStringPainted(true);
        progress.setVisible(false);
        banner.setName("banner");
        banner.setOpaque(true);
        banner.setBorder(BorderFactory.createEmptyBorder(6, 10, 6, 10));
        banner.setVisible(false);
        add(broker);
        add(database);
        add(updated);
        add(message);
        add(progress, "w 160!");
    }

    /** The banner, placed by the frame above the filters. */
    JLabel banner() {
        return banner;
    }

    JProgressBar progress() {
        return progress;
    }

    void message(String text) {
        message.setText(text == null || text.isEmpty() ? " " : text);
    }

    void databaseUnavailable(String sentence) {
        databaseProblem = sentence;
        database.setText(databaseLabel(sentence));
        updateBanner();
    }

    /** "Database: unreachable", "Database: access denied", ... */
    private static String databaseLabel(String problem) {
        return "Database: " + DatabaseProblem.Kind.of(problem).label();
    }

    void consumer(ConsumerStatus status) {
        brokerProblem = status.brokerConnected() ? null : status.brokerDetail();
        broker.setText(status.standby() ? "Broker: standing by" : status.brokerConnected()
                ? "Broker: consuming" + (status.waiting() > 0 ? " (" + status.waiting() + " waiting)" : "")
                : "Broker: not connected");
        databaseProblem = status.databaseProblem();
        database.setText(databaseProblem == null ? "Database: connected" : databaseLabel(databaseProblem));
        updateBanner();
    }

    /** A query of the window failed (null when the last one worked). */
    void readProblem(String sentence) {
        readProblem = sentence;
        updateBanner();
    }

    void updated(Instant at) {
        updated.setText("Updated " + Formats.time(at).substring(11));
    }

    private void updateBanner() {
        String text = databaseProblem != null ? databaseProblem + (DatabaseProblem.Kind.of(databaseProblem).configuration()
                ? " Retrying, but a corrected configuration file takes effect only when the head office is started again;"
                        + " the figures below may be out of date."
                : " Retrying; the figures below may be out of date.")
                : readProblem != null ? readProblem + " Retrying."
                : brokerProblem != null ? "Not receiving changes from the branches: " + brokerProblem
                        + " Retrying; branches keep their changes until it is back."
                : null;
        banner.setVisible(text != null);
        if (text != null) {
            boolean severe = databaseProblem != null || readProblem != null;
            Color background = UIManager.getColor(severe ? "Actions.Red" : "Actions.Yellow");
            banner.setBackground(background != null ? background : UIManager.getColor("Panel.background"));
            banner.setForeground(severe ? Color.WHITE : Color.BLACK);
            banner.setText("<html>" + escape(text) + "</html>");
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Placed in a BorderLayout by the frame. */
    static JPanel north(JLabel banner, JPanel filters) {
        JPanel north = new JPanel(new BorderLayout());
        north.add(banner, BorderLayout.NORTH);
        north.add(filters, BorderLayout.CENTER);
        return north;
    }
}
