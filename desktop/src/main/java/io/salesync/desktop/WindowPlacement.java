package io.salesync.desktop;

import java.awt.Rectangle;
import java.awt.Window;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Window bounds asked for on the command line, {@code -Dsalesync.window.bounds=x,y,width,height},
 * for launchers that place several windows side by side (the demo). Used only when given; otherwise
 * the window goes where {@link WindowMemory} remembers.
 */
public final class WindowPlacement {

    public static final String PROPERTY = "salesync.window.bounds";

    private static final Logger log = LoggerFactory.getLogger(WindowPlacement.class);

    private WindowPlacement() {
    }

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
                Rectangle bounds = new Rectangle(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()),
                        Integer.parseInt(parts[2].strip()), Integer.parseInt(parts[3].strip()));
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
     * Places the window at the requested bounds when there are some, else where the memory says.
     * Event thread only.
     */
    public static void place(Window window, WindowMemory memory, java.awt.Dimension defaultSize) {
        Optional<Rectangle> requested = requested();
        if (requested.isPresent()) {
            window.setBounds(requested.get());
        } else {
            memory.restore(window, defaultSize);
        }
    }
}
