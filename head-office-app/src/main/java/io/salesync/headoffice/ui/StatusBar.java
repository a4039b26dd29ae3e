package io.salesync.headoffice.ui;

import io.salesync.common.db.DatabaseProblem;
import io.salesync.desktop.BrokerWords;
import io.salesync.headoffice.model.HeadOfficeProcess;
import io.salesync.headoffice.service.ConsumerStatus;
import java.awt.BorderLayout;
import java.awt.Color;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.UIManager;
import net.miginfocom.swing.MigLayout;

/**
 * The line at the bottom (broker, database, which head-office process consumes, last update,
 * export progress) and the banner at the top that says plainly when live data has stopped and why.
 * In a view-only window the broker's place says that the window only reads. Event thread only.
 */
final class StatusBar extends JPanel {

    private static final long serialVersionUID = 1L;

    private final JLabel broker = new JLabel("Broker: connecting...");
    private final JLabel database = new JLabel("Database: connecting...");
    private final JLabel processes = new JLabel(" ");
    private final JLabel updated = new JLabel(" ");
    private final JLabel message = new JLabel(" ");
    private final JProgressBar progress = new JProgressBar(0, 100);
    private final JLabel banner = new JLabel();
    private String databaseProblem;
    private String brokerProblem;
    private String readProblem;
    private String brokerAddress;
    /** When the consumer last stopped consuming (or started trying), null while consuming. */
    private Instant brokerDownSince;

    private boolean everConsumed;
    private boolean viewOnly;

    StatusBar() {
        super(new MigLayout("insets 3 8 3 8, gap 16", "[][][][]push[][]"));
        setName("statusBar");
        broker.setName("brokerStatus");
        database.setName("databaseStatus");
        processes.setName("headOfficeProcesses");
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
        add(processes, "wmin 0"); // a long host name gives way first; the tooltip has it whole
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

    /** The broker's host:port, for sentences about it; from the configuration. */
    void brokerAddress(String address) {
        brokerAddress = address;
    }

    /**
     * Shows what the consumer reports, the broker part in words: the consumer's detail may be the
     * client's raw protocol text, which belongs in the log (where the connector writes it), not here.
     */
    void consumer(ConsumerStatus status) {
        if (status.brokerConnected()) {
            brokerDownSince = null;
            everConsumed = true;
            brokerProblem = null;
            if (status.standby()) {
                broker.setText("Broker: standing by");
                broker.setToolTipText("Another head-office process receives the branches' changes; this one takes over"
                        + " if it stops");
            } else {
                broker.setText(
                        "Broker: consuming" + (status.waiting() > 0 ? " (" + status.waiting() + " waiting)" : ""));
                broker.setToolTipText("Receiving the branches' changes from RabbitMQ"
                        + (brokerAddress == null ? "" : " at " + brokerAddress));
            }
        } else {
            if (brokerDownSince == null) {
                brokerDownSince = Instant.now();
            }
            String since = Formats.time(brokerDownSince).substring(11, 16);
            boolean starting =
                    !everConsumed && (status.brokerDetail() == null || "starting".equals(status.brokerDetail()));
            brokerProblem = starting
                    ? null
                    : BrokerWords.sentence(status.brokerDetail(), address(status.brokerDetail()), since);
            broker.setText(
                    starting
                            ? "Broker: connecting..."
                            : (everConsumed ? "Broker: reconnecting since " : "Broker: trying since ") + since);
            broker.setToolTipText(brokerProblem);
        }
        databaseProblem = status.databaseProblem();
        database.setText(databaseProblem == null ? "Database: connected" : databaseLabel(databaseProblem));
        updateBanner();
    }

    /** A window without a consumer: it needs no broker, and says so where the broker's state would be. */
    void viewOnly() {
        viewOnly = true;
        access(null);
    }

    /**
     * What the window's database user may do, in a view-only window.
     *
     * @param readOnly the sentence saying it may only read, or null when it may change something
     */
    void access(String readOnly) {
        if (!viewOnly) {
            return;
        }
        broker.setText("View only");
        broker.setToolTipText(
                "<html>This window reads the head office's database and refreshes when it shows new changes."
                        + "<br>It receives nothing from the branches itself, and needs no broker."
                        + (readOnly == null ? "" : "<br>" + escape(readOnly)) + "</html>");
    }

    /** What a view-only window's watch of the database last found: null when it answered. */
    void watched(String problem) {
        databaseProblem = problem;
        database.setText(problem == null ? "Database: connected" : databaseLabel(problem));
        updateBanner();
    }

    /** Which head-office process consumes the queue and how many stand by, as {@code status} says it. */
    void processes(List<HeadOfficeProcess> seen, Instant now) {
        processes.setText(
                seen.isEmpty()
                        ? "Head office: no process consuming"
                        : "Head office: " + HeadOfficeProcess.summary(seen, now));
        StringBuilder tip = new StringBuilder("<html>The head-office processes heard from in the last ")
                .append(HeadOfficeProcess.SEEN_WITHIN.toSeconds())
                .append(" s (pid@host):");
        for (HeadOfficeProcess process : seen) {
            tip.append("<br>")
                    .append(escape(process.process()))
                    .append(process.activeAt(now) ? ": consuming" : ": standing by")
                    .append(", started ")
                    .append(Formats.time(process.startedAt()));
        }
        if (seen.isEmpty()) {
            tip.append("<br>none: the branches' changes wait in the queue until a head-office service runs");
        }
        processes.setToolTipText(tip.append("</html>").toString());
    }

    /** The broker's address from the configuration, else as the consumer's sentence names it, else "the broker". */
    private String address(String detail) {
        if (brokerAddress != null) {
            return brokerAddress;
        }
        Matcher named = Pattern.compile("RabbitMQ at (\\S+)").matcher(detail == null ? "" : detail);
        return named.find() ? named.group(1) : "its configured address";
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
        String text = databaseProblem != null
                ? databaseProblem
                        + (DatabaseProblem.Kind.of(databaseProblem).configuration()
                                ? " Retrying, but a corrected configuration file takes effect only when the head office is started again;"
                                        + " the figures below may be out of date."
                                : " Retrying; the figures below may be out of date.")
                : readProblem != null
                        ? readProblem + " Retrying."
                        : brokerProblem != null
                                ? "Not receiving changes from the branches. " + brokerProblem
                                        + " The branches keep their changes until it is back."
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
