package io.salesync.desktop;

import java.util.function.Function;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;

/** Starts a desktop window the FlatLaf-demo way: properties first, then the UI on the event thread. */
public final class DesktopApp {

    private DesktopApp() {
    }

    /**
     * Installs the remembered theme and builds and shows the frame on the event thread.
     *
     * @param application the preferences name, for example {@code branch-office-bo1}
     * @param frame       builds the frame (on the event thread) from the window memory
     */
    public static void start(String application, Function<WindowMemory, JFrame> frame) {
        System.setProperty("flatlaf.menuBarEmbedded", "false");
        SwingUtilities.invokeLater(() -> {
            WindowMemory memory = new WindowMemory(application);
            memory.theme().install();
            JFrame window = frame.apply(memory);
            window.setVisible(true);
        });
    }
}
