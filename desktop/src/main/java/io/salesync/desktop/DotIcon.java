package io.salesync.desktop;

import java.awt.Color;
import java.awt.Component;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.function.Supplier;
import javax.swing.Icon;

/**
 * A small filled circle in a colour: the signal beside a state (synced, healthy, connected...).
 *
 * @param colour the fill, asked for at every paint so that a colour taken from the look and feel
 *               follows a theme change
 */
public record DotIcon(Supplier<Color> colour) implements Icon {

    private static final int SIZE = 10;

    /** A dot of one fixed colour. */
    public static DotIcon of(Color colour) {
        return new DotIcon(() -> colour);
    }

    @Override
    public void paintIcon(Component component, Graphics graphics, int x, int y) {
        Graphics2D g = (Graphics2D) graphics.create();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(colour.get());
        g.fillOval(x + 1, y + 1, SIZE - 2, SIZE - 2);
        g.dispose();
    }

    @Override
    public int getIconWidth() {
        return SIZE;
    }

    @Override
    public int getIconHeight() {
        return SIZE;
    }
}
