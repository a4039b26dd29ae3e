package io.salesync.branch.ui;

import io.salesync.branch.service.SyncState;
import io.salesync.desktop.BrokerWords;
import java.time.Instant;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSeparator;
import javax.swing.SwingConstants;
import javax.swing.UIManager;
import javax.swing.border.MatteBorder;
import net.miginfocom.swing.MigLayout;

/**
 * Always at the bottom of the window: the broker state, the changes waiting to be sent, the time of
 * the last confirmation and the database state; on the left, the last thing the window did.
 * Event thread only.
 */
final class StatusBar extends JPanel {

    /** What the window knows about the branch database while it has no problem with it. */
    enum Database {
        CONNECTING,
        CONNECTED
    }

    private final JLabel message = new JLabel(" ");
    private final JLabel broker = new JLabel();
    private final JLabel backlog = new JLabel();
    private final JLabel lastConfirmed = new JLabel();
    private final JLabel database = new JLabel();
    private String brokerAddress = "its configured address";

    StatusBar() {
        super(new MigLayout("insets 4 12 4 12, gap 10", "[grow,fill]0[][][][][][][]", "[]"));
        setName("statusBar");
        message.setName("statusMessage");
        broker.setName("brokerStatus");
        backlog.setName("backlog");
        lastConfirmed.setName("lastConfirmed");
        database.setName("databaseStatus");
        add(message, "width 0:0:");
        add(broker);
        add(new JSeparator(SwingConstants.VERTICAL), "growy");
        add(backlog);
        add(new JSeparator(SwingConstants.VERTICAL), "growy");
        add(lastConfirmed);
        add(new JSeparator(SwingConstants.VERTICAL), "growy");
        add(database);
        show(SyncState.offline(Instant.now()));
        showDatabase(Database.CONNECTING);
    }

    @Override
    public void updateUI() {
        super.updateUI();
        setBorder(new MatteBorder(1, 0, 0, 0, UIManager.getColor("Separator.foreground")));
    }

    /** The broker's host:port, for the sentences about it. */
    void brokerAddress(String address) {
        brokerAddress = address;
    }

    /** A short note about what just happened ("Saved: North, Paper, 8.10"). */
    void message(String text) {
        message.setText(text);
        message.setToolTipText(text);
    }

    void show(SyncState state) {
        switch (state.broker()) {
            case CONNECTED -> set(broker, "Broker: connected", Look.Signal.GOOD);
            case CONNECTING -> set(broker, "Broker: connecting\u2026", Look.Signal.WAIT);
            case RECONNECTING ->
                set(broker, "Broker: reconnecting since " + Formats.minutes(state.brokerSince()), Look.Signal.BAD);
            case STANDBY -> set(broker, "Broker: another program is sending", Look.Signal.WAIT);
            case NO_QUEUE -> set(broker, "Broker: waiting for the head office", Look.Signal.WAIT);
            default -> set(broker, "Broker: offline", Look.Signal.BAD);
        }
        // the relay's detail may be the client's raw protocol text: said in words here, raw in the log
        broker.setToolTipText(
                state.brokerDetail() == null || state.broker() == SyncState.Broker.CONNECTED
                        ? tooltip(state.broker())
                        : state.broker() == SyncState.Broker.RECONNECTING
                                ? BrokerWords.sentence(
                                                state.brokerDetail(),
                                                brokerAddress,
                                                Formats.minutes(state.brokerSince()))
                                        + " Sales are kept here and sent once it answers."
                                : state.brokerDetail());
        backlog.setText("Waiting to send: " + (state.backlog() < 0 ? "\u2013" : String.format("%,d", state.backlog())));
        backlog.setToolTipText("Changes saved here that the broker has not confirmed yet");
        lastConfirmed.setText("Last confirmation: "
                + (state.lastConfirmedAt() == null ? "none yet" : Formats.seconds(state.lastConfirmedAt())));
        lastConfirmed.setToolTipText("When the broker last confirmed a change from this window");
    }

    void showDatabase(Database state) {
        switch (state) {
            case CONNECTED -> set(database, "Database: connected", Look.Signal.GOOD);
            default -> set(database, "Database: connecting\u2026", Look.Signal.WAIT);
        }
        database.setToolTipText(null);
    }

    /** @param label a word or two ("unreachable", "access denied") */
    void showDatabaseProblem(String label, String sentence) {
        set(database, "Database: " + label, Look.Signal.BAD);
        database.setToolTipText(sentence);
    }

    private static String tooltip(SyncState.Broker state) {
        return switch (state) {
            case CONNECTED -> "Changes are sent to the head office as they are saved.";
            case OFFLINE -> "Not sending: sales are kept here and sent once the broker answers.";
            default -> "Sales are kept here and sent once the broker answers.";
        };
    }

    private static void set(JLabel label, String text, Look.Signal signal) {
        label.setText(text);
        label.setIcon(signal.dot());
        label.setIconTextGap(6);
    }
}
