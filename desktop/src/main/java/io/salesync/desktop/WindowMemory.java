package io.salesync.desktop;

import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Window;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import javax.swing.JTable;
import javax.swing.table.TableColumn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a desktop app remembers between launches: window bounds, theme and table column widths,
 * in the user's Java preferences under {@code io/salesync/<application>}. Tests point it elsewhere
 * with the system property {@code salesync.preferences.root} so they never touch a user's settings.
 *
 * <p>Event thread only.
 */
public final class WindowMemory {

    private static final Logger log = LoggerFactory.getLogger(WindowMemory.class);

    private final Preferences node;

    public WindowMemory(String application) {
        String root = System.getProperty("salesync.preferences.root", "io/salesync");
        this.node = Preferences.userRoot().node(root + "/" + application);
    }

    public Theme theme() {
        return Theme.named(node.get("theme", Theme.LIGHT.name()));
    }

    public void saveTheme(Theme theme) {
        node.put("theme", theme.name());
        flush();
    }

    /**
     * The bounds the window had when it was last closed, if they still touch a screen; the caller
     * ({@link WindowPlacement}) fits them wholly onto it.
     */
    public Optional<Rectangle> rememberedBounds() {
        Rectangle saved = new Rectangle(
                node.getInt("x", Integer.MIN_VALUE),
                node.getInt("y", Integer.MIN_VALUE),
                node.getInt("width", -1),
                node.getInt("height", -1));
        return saved.x != Integer.MIN_VALUE && saved.width > 0 && saved.height > 0 && onScreen(saved)
                ? Optional.of(saved)
                : Optional.empty();
    }

    /** Saves the window's bounds when it closes. */
    public void rememberOnClose(Window window) {
        window.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent event) {
                saveBounds(window);
            }
        });
    }

    public void saveBounds(Window window) {
        Rectangle bounds = window.getBounds();
        node.putInt("x", bounds.x);
        node.putInt("y", bounds.y);
        node.putInt("width", bounds.width);
        node.putInt("height", bounds.height);
        flush();
    }

    /** Applies remembered widths to the table's columns, matched by header name. */
    public void restoreColumns(JTable table, String key) {
        Preferences columns = node.node("columns/" + key);
        for (int i = 0; i < table.getColumnModel().getColumnCount(); i++) {
            TableColumn column = table.getColumnModel().getColumn(i);
            int width = columns.getInt(String.valueOf(column.getHeaderValue()), -1);
            if (width > 0) {
                column.setPreferredWidth(width);
            }
        }
    }

    public void saveColumns(JTable table, String key) {
        Preferences columns = node.node("columns/" + key);
        for (int i = 0; i < table.getColumnModel().getColumnCount(); i++) {
            TableColumn column = table.getColumnModel().getColumn(i);
            columns.putInt(String.valueOf(column.getHeaderValue()), column.getWidth());
        }
        flush();
    }

    private static boolean onScreen(Rectangle bounds) {
        if (GraphicsEnvironment.isHeadless()) {
            return false;
        }
        for (var device : GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices()) {
            if (device.getDefaultConfiguration().getBounds().intersects(bounds)) {
                return true;
            }
        }
        return false;
    }

    private void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            log.warn("Could not save window preferences: {}", e.getMessage());
        }
    }
}
