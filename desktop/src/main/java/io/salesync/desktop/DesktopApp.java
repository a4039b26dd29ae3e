package io.salesync.desktop;

import java.awt.Image;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.imageio.ImageIO;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;

/** Starts a desktop window the FlatLaf-demo way: properties first, then the UI on the event thread. */
public final class DesktopApp {

    private DesktopApp() {}

    /**
     * Installs the remembered theme and builds and shows the frame on the event thread.
     *
     * @param application the preferences name, for example {@code branch-office-bo1}
     * @param frame       builds the frame (on the event thread) from the window memory
     */
    /** The application's icon at the sizes it is drawn in (the installers use the same pictures). */
    static List<Image> icons(String name) {
        List<Image> images = new ArrayList<>();
        for (String file : List.of(name + "-48.png", name + ".png")) {
            try (InputStream in = DesktopApp.class.getResourceAsStream("icons/" + file)) {
                if (in != null) {
                    images.add(ImageIO.read(in));
                }
            } catch (IOException e) {
                // a window without its icon is still a window
            }
        }
        return images;
    }

    public static void start(String application, Function<WindowMemory, JFrame> frame) {
        System.setProperty("flatlaf.menuBarEmbedded", "false");
        SwingUtilities.invokeLater(() -> {
            WindowMemory memory = new WindowMemory(application);
            memory.theme().install();
            JFrame window = frame.apply(memory);
            window.setIconImages(icons(application.startsWith("branch-office") ? "branch-office" : "head-office"));
            window.setVisible(true);
        });
    }
}
