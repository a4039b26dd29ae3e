package io.salesync.desktop;

import java.awt.Dimension;
import java.awt.GraphicsConfiguration;
import java.awt.GraphicsDevice;
import java.awt.GraphicsEnvironment;
import java.awt.Insets;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Toolkit;
import java.awt.Window;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a window opens. Bounds asked for on the command line, {@code -Dsalesync.window.bounds=x,y,width,height}
 * (launchers that place several windows side by side, as the demo does), else the bounds
 * {@link WindowMemory} remembers, else the default size centred. Whichever it is, the window opens
 * wholly on one screen, inside the part that panels and docks leave free: moved in first, made
 * smaller only when it is larger than the screen.
 */
public final class WindowPlacement {

    public static final String PROPERTY = "salesync.window.bounds";

    private static final Logger log = LoggerFactory.getLogger(WindowPlacement.class);

    private WindowPlacement() {}

    /** The bounds from the system property, or empty when it is absent or malformed (logged). */
    public static Optional<Rectangle> requested() {
        return parse(System.getProperty(PROPERTY));
    }

    /** Parses {@code x,y,width,height}; empty when absent or malformed (logged). */
    public static Optional<Rectangle> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String[] parts = value.split(",");
        try {
            if (parts.length == 4) {
                Rectangle bounds = new Rectangle(
                        Integer.parseInt(parts[0].strip()),
                        Integer.parseInt(parts[1].strip()),
                        Integer.parseInt(parts[2].strip()),
                        Integer.parseInt(parts[3].strip()));
                if (bounds.width > 0 && bounds.height > 0) {
                    return Optional.of(bounds);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        log.warn("Ignoring {}={}: expected x,y,width,height in pixels", PROPERTY, value);
        return Optional.empty();
    }

    /**
     * The bounds moved, and if need be shrunk, to lie wholly inside {@code screen}: a window asked
     * for partly off the right edge moves left, one taller than the screen gets the screen's height.
     */
    public static Rectangle fit(Rectangle wanted, Rectangle screen) {
        int width = Math.min(wanted.width, screen.width);
        int height = Math.min(wanted.height, screen.height);
        int x = Math.max(screen.x, Math.min(wanted.x, screen.x + screen.width - width));
        int y = Math.max(screen.y, Math.min(wanted.y, screen.y + screen.height - height));
        return new Rectangle(x, y, width, height);
    }

    /**
     * Places the window at the requested bounds when there are some, else where the memory says,
     * else at {@code defaultSize} centred; always wholly on a screen. Event thread only.
     */
    public static void place(Window window, WindowMemory memory, Dimension defaultSize) {
        Rectangle wanted = requested().or(memory::rememberedBounds).orElse(null);
        Rectangle screen = usableArea(wanted);
        if (wanted == null) {
            Dimension size = new Dimension(
                    Math.min(defaultSize.width, screen.width), Math.min(defaultSize.height, screen.height));
            wanted = new Rectangle(
                    screen.x + (screen.width - size.width) / 2,
                    screen.y + (screen.height - size.height) / 2,
                    size.width,
                    size.height);
        }
        keepMinimumOnScreen(window, screen);
        window.setBounds(fit(wanted, screen));
    }

    /** A minimum size larger than the screen would push the window off it again: it gives way. */
    private static void keepMinimumOnScreen(Window window, Rectangle screen) {
        Dimension minimum = window.getMinimumSize();
        if (window.isMinimumSizeSet() && (minimum.width > screen.width || minimum.height > screen.height)) {
            window.setMinimumSize(
                    new Dimension(Math.min(minimum.width, screen.width), Math.min(minimum.height, screen.height)));
        }
    }

    /**
     * The free area (without panels and docks) of the screen that holds the centre of {@code near},
     * or of the default screen.
     */
    public static Rectangle usableArea(Rectangle near) {
        if (GraphicsEnvironment.isHeadless()) {
            return new Rectangle(0, 0, Integer.MAX_VALUE / 2, Integer.MAX_VALUE / 2);
        }
        GraphicsEnvironment environment = GraphicsEnvironment.getLocalGraphicsEnvironment();
        GraphicsConfiguration chosen = environment.getDefaultScreenDevice().getDefaultConfiguration();
        if (near != null) {
            Point centre = new Point(near.x + near.width / 2, near.y + near.height / 2);
            for (GraphicsDevice device : environment.getScreenDevices()) {
                if (device.getDefaultConfiguration().getBounds().contains(centre)) {
                    chosen = device.getDefaultConfiguration();
                }
            }
        }
        Rectangle bounds = chosen.getBounds();
        Insets insets = Toolkit.getDefaultToolkit().getScreenInsets(chosen);
        return new Rectangle(
                bounds.x + insets.left,
                bounds.y + insets.top,
                bounds.width - insets.left - insets.right,
                bounds.height - insets.top - insets.bottom);
    }
}
