package io.salesync.desktop.testing;

import static org.awaitility.Awaitility.await;

import java.awt.AWTException;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.assertj.swing.edt.FailOnThreadViolationRepaintManager;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.JButtonFixture;
import org.junit.jupiter.api.Assumptions;

/**
 * What every GUI test needs: a real display (Xvfb on CI), event-thread violations turned into
 * failures, preferences kept away from the user's, and screenshots of real windows.
 */
public final class GuiTesting {

    private GuiTesting() {}

    /**
     * Call from {@code @BeforeAll}. Without a display the test fails under CI=true and is skipped
     * (reported as such) elsewhere.
     */
    public static void setUpOnce() {
        if (GraphicsEnvironment.isHeadless()) {
            String why = "no display for GUI tests: run under Xvfb (xvfb-run -a ./mvnw verify) or a desktop session";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + " (CI=true: a missing display is a failure)");
            }
            Assumptions.abort(why);
        }
        System.setProperty("salesync.preferences.root", "io/salesync-tests");
        FailOnThreadViolationRepaintManager.install();
    }

    /**
     * Presses a dialog's button until the dialog has answered, clicking it first and then, from the
     * third attempt, focusing it and pressing the space bar. A click can reach a dialog that has not
     * yet settled on screen (it is laid out and centred after it shows) and be lost; without a window
     * manager, as under Xvfb, AWT may even go on believing the dialog sits where it was created
     * while the display shows it centred, so every click lands beside it. Keys go to the focused
     * window wherever it is. The button is pressed again only while it is still showing, so it is
     * never pressed twice.
     */
    public static void answer(JButtonFixture button) {
        int[] attempts = {0};
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    if (GuiActionRunner.execute(() -> button.target().isShowing())) {
                        if (++attempts[0] < 3) {
                            button.click();
                        } else {
                            GuiActionRunner.execute(() -> button.target().requestFocusInWindow());
                            button.robot().waitForIdle();
                            button.robot().pressAndReleaseKey(KeyEvent.VK_SPACE);
                        }
                    }
                    return !GuiActionRunner.execute(() -> button.target().isShowing());
                });
    }

    /**
     * Why a component is not wholly visible (hidden, clipped by a parent, a scroll pane or the
     * window's edge), or null when a person sees all of it. Call on the event thread.
     */
    public static String notWhollyVisible(java.awt.Component component) {
        if (!component.isShowing()) {
            return component.getName() + " is not showing";
        }
        if (component instanceof javax.swing.JComponent swing) {
            Rectangle visible = swing.getVisibleRect();
            if (visible.width < component.getWidth() || visible.height < component.getHeight()) {
                return component.getName() + " shows " + visible.width + "x" + visible.height + " of its "
                        + component.getWidth() + "x" + component.getHeight() + " pixels";
            }
        }
        return null;
    }

    /**
     * Why a window is not wholly on its screen, or null when it is. Call on the event thread.
     */
    public static String notOnScreen(Window window) {
        Rectangle bounds = window.getBounds();
        Rectangle screen = window.getGraphicsConfiguration().getBounds();
        return screen.contains(bounds)
                ? null
                : window.getName() + " at " + bounds + " is not wholly inside the screen " + screen;
    }

    /**
     * The cells of a column (and of the rows shown) whose text does not fit their width, as
     * "row 3: 17,877.00 needs 74 px of 60": an empty list when nothing is cut. Event thread.
     */
    public static java.util.List<String> cutCells(javax.swing.JTable table, int viewColumn) {
        java.util.List<String> cut = new java.util.ArrayList<>();
        int width = table.getColumnModel().getColumn(viewColumn).getWidth();
        for (int row = 0; row < table.getRowCount(); row++) {
            java.awt.Component renderer =
                    table.prepareRenderer(table.getCellRenderer(row, viewColumn), row, viewColumn);
            int needed = renderer.getPreferredSize().width;
            if (needed > width) {
                String text = renderer instanceof javax.swing.JLabel label
                        ? label.getText()
                        : String.valueOf(table.getValueAt(row, viewColumn));
                cut.add("row " + row + ": " + text + " needs " + needed + " px of " + width);
            }
        }
        return cut;
    }

    /** Saves a PNG of what the screen shows inside the window's bounds. */
    public static Path screenshot(Window window, Path file) {
        Rectangle bounds = GuiActionRunner.execute(() -> window.getBounds());
        try {
            BufferedImage image = new Robot().createScreenCapture(bounds);
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(image, "png", file.toFile());
            return file;
        } catch (AWTException e) {
            throw new IllegalStateException("cannot capture the screen", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
