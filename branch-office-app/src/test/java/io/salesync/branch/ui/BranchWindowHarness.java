package io.salesync.branch.ui;

import static org.awaitility.Awaitility.await;

import io.salesync.branch.BranchOfficeDesktop;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.config.RelaySettings;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.testing.Sandbox;
import java.awt.event.KeyEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.assertj.swing.core.BasicRobot;
import org.assertj.swing.core.ComponentLookupScope;
import org.assertj.swing.core.Robot;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.FrameFixture;

/**
 * One branch office window on a sandbox: its own schema and broker names, the real relay, and an
 * AssertJ Swing robot that drives the window like a clerk.
 */
final class BranchWindowHarness implements AutoCloseable {

    static final String BRANCH = "bo1";

    final Sandbox sandbox;
    private final Robot robot;
    private BranchOfficeDesktop desktop;
    FrameFixture window;

    BranchWindowHarness(Sandbox sandbox) {
        this.sandbox = sandbox;
        this.robot = BasicRobot.robotWithNewAwtHierarchy();
        robot.settings().delayBetweenEvents(5);
        robot.settings().eventPostingDelay(20);
        // Hidden components (an error label, the banner) can be found to check that they are hidden.
        robot.settings().componentLookupScope(ComponentLookupScope.ALL);
    }

    /** A branch configuration on the sandbox, with the given broker and database keys. */
    static BranchConfig config(Map<String, String> database, Map<String, String> broker) {
        Map<String, String> values = new HashMap<>(BranchConfig.defaults(BRANCH));
        values.putAll(database);
        values.putAll(broker);
        values.put(RelaySettings.IDLE_POLL_MS, "100");
        // no checkpoints of its own: these tests count what the outbox holds
        values.put(BranchConfig.CHECKPOINT_INTERVAL_S, "0");
        values.put(RelaySettings.CONFIRM_TIMEOUT_MS, "3000");
        return BranchConfig.from(ConfigSource.of(values));
    }

    BranchConfig directConfig() {
        return config(sandbox.database(BRANCH), sandbox.broker());
    }

    /** Opens the window as {@code ./salesync branch} does and finds it. */
    FrameFixture open(BranchConfig config) {
        desktop = BranchOfficeDesktop.start(config, () -> {});
        window = WindowFinder.findFrame("branchOffice").withTimeout(20_000).using(robot);
        return window;
    }

    /** Waits until the database answered and the relay is connected. */
    void awaitReady() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> window.label("databaseStatus").text().equals("Database: connected")
                        && window.label("brokerStatus").text().equals("Broker: connected"));
    }

    /** Types a whole sale with the keyboard, from the Date field, Tab between fields; Enter only if asked. */
    void typeSale(String date, String region, String product, String qty, String cost, boolean pressEnter) {
        window.textBox("date").focus();
        awaitFocus("date");
        window.textBox("date").deleteText();
        type("date", date);
        tabTo("regionEditor");
        type("regionEditor", region);
        tabTo("productEditor");
        type("productEditor", product);
        tabTo("qty");
        type("qty", qty);
        tabTo("cost");
        type("cost", cost);
        if (pressEnter) {
            robot.pressAndReleaseKey(KeyEvent.VK_ENTER);
        }
    }

    /** Presses Tab and waits until the focus has arrived where the clerk expects it. */
    private void tabTo(String field) {
        robot.pressAndReleaseKey(KeyEvent.VK_TAB);
        awaitFocus(field);
    }

    private void awaitFocus(String field) {
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> window.textBox(field).requireFocused());
    }

    /**
     * Types text with the keyboard. Characters no key on the test display produces (accents, CJK)
     * are put in the field as an input method would deliver them, all at once, after the typed part.
     */
    private void type(String field, String text) {
        boolean keyboard = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        if (keyboard) {
            robot.enterText(text);
        } else {
            window.textBox(field).setText(text);
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> window.textBox(field).requireText(text));
    }

    Robot robot() {
        return robot;
    }

    /**
     * Text of a cell as the clerk sees it; the Sync column is the one kept at the left edge. For a
     * failed sale the text is "failed" and the reason is in the tooltip; {@link #syncValue} has both.
     */
    String cell(int row, int column) {
        if (column == SalesTableModel.SYNC) {
            return window.table("syncTable")
                    .valueAt(org.assertj.swing.data.TableCell.row(row).column(0));
        }
        return window.table("salesTable")
                .valueAt(org.assertj.swing.data.TableCell.row(row).column(column));
    }

    /** The Sync value behind a row, with the reason of a failure ("failed: ..."). */
    String syncValue(int row) {
        return org.assertj.swing.edt.GuiActionRunner.execute(() -> {
            javax.swing.JTable table =
                    (javax.swing.JTable) window.table("syncTable").target();
            return String.valueOf(table.getValueAt(row, 0));
        });
    }

    /** The text of a wrapping label (a field's error, the form's message), without its markup. */
    String text(String label) {
        return org.assertj.swing.edt.GuiActionRunner.execute(
                () -> ((WrapLabel) window.label(label).target()).plainText());
    }

    long count(String sql, Object... parameters) {
        return sandbox.count(BRANCH, sql, parameters);
    }

    @Override
    public void close() {
        try {
            if (window != null) {
                window.close();
            }
        } finally {
            if (desktop != null) {
                desktop.close();
            }
            robot.cleanUp();
        }
    }
}
