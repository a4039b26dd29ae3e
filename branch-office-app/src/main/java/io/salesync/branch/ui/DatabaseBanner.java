package io.salesync.branch.ui;

import io.salesync.common.db.DatabaseProblem;
import java.awt.Color;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.UIManager;
import javax.swing.border.MatteBorder;
import net.miginfocom.swing.MigLayout;

/**
 * What the clerk is told about the branch database: a strip above everything, tinted with the
 * theme's error colour, while it does not answer, and the status bar's database part. Three parts
 * of the window learn of a problem: opening the database, the relay, and the window's own reads
 * and saves; the first that has one is shown. A database that refuses this branch's settings is
 * said plainly first, for the clerk, then the details for whoever fixes it. Event thread only.
 */
final class DatabaseBanner extends JPanel {

    private final JLabel text = new JLabel();
    private final StatusBar status;
    private boolean opened;
    private String openingProblem;
    private String relayProblem;
    private String windowProblem;

    DatabaseBanner(StatusBar status) {
        super(new MigLayout("insets 8 14 8 14", "[grow,fill]", "[]"));
        this.status = status;
        setName("banner");
        text.setName("bannerText");
        add(text, "width 0:0:");
        setVisible(false);
        showState();
    }

    /** The database could not be opened yet: the sentence saying why. */
    void openingFailed(String problem) {
        openingProblem = problem;
        showState();
    }

    /** The database is open. */
    void opened() {
        opened = true;
        openingProblem = null;
        showState();
    }

    /** What the relay last said about the database, or null. */
    void relay(String problem) {
        relayProblem = problem;
        showState();
    }

    /** What the window's last read or save said about the database, or null once one worked. */
    void window(String problem) {
        windowProblem = problem;
        showState();
    }

    /** True while the window's own last read or save failed (it is retried). */
    boolean windowFailed() {
        return windowProblem != null;
    }

    @Override
    public void updateUI() {
        super.updateUI();
        Color base = UIManager.getColor("Panel.background");
        Color error = Look.errorText();
        if (base != null) {
            setBackground(new Color(
                    (base.getRed() * 4 + error.getRed()) / 5,
                    (base.getGreen() * 4 + error.getGreen()) / 5,
                    (base.getBlue() * 4 + error.getBlue()) / 5));
        }
        setBorder(new MatteBorder(0, 0, 1, 0, error));
    }

    /** The banner and the status bar's database part, from what is known now. */
    private void showState() {
        String problem = openingProblem != null ? openingProblem : relayProblem != null ? relayProblem : windowProblem;
        if (problem != null) {
            DatabaseProblem.Kind kind = DatabaseProblem.Kind.of(problem);
            String sentence = kind.configuration()
                    ? forTheClerk(kind) + " Ask whoever looks after this computer to fix it. Details: " + problem
                    : problem.contains("not be saved")
                                    || problem.contains("cannot be saved")
                                    || problem.contains("not saved")
                            ? problem
                            : problem + " Sales cannot be saved until it answers.";
            text.setText(sentence);
            text.setToolTipText(sentence);
            setVisible(true);
            status.showDatabaseProblem(kind.label(), problem);
        } else {
            setVisible(false);
            status.showDatabase(opened ? StatusBar.Database.CONNECTED : StatusBar.Database.CONNECTING);
        }
    }

    private static String forTheClerk(DatabaseProblem.Kind kind) {
        return switch (kind) {
            case ACCESS_DENIED ->
                "Sales cannot be saved: the branch database refused this program's user name or password.";
            case UNKNOWN_DATABASE -> "Sales cannot be saved: the branch database has not been set up on its server.";
            default -> "Sales cannot be saved: the branch database does not let this program read and write the sales.";
        };
    }
}
