package io.salesync.branch.ui;

import io.salesync.desktop.DotIcon;
import java.awt.Color;
import java.awt.Component;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import javax.swing.Icon;
import javax.swing.UIManager;

/**
 * Colours and small icons taken from the look and feel (FlatLaf's action colours), resolved when
 * painted so that they follow a theme change.
 */
final class Look {

    /** The three signal colours of the window. */
    enum Signal {
        GOOD("Actions.Green", new Color(0x59A869)),
        WAIT("Actions.Yellow", new Color(0xEDA200)),
        BAD("Actions.Red", new Color(0xDB5860));

        private final String key;
        private final Color fallback;

        Signal(String key, Color fallback) {
            this.key = key;
            this.fallback = fallback;
        }

        Color color() {
            Color color = UIManager.getColor(key);
            return color != null ? color : fallback;
        }

        /** A small filled dot of this colour, for a status or a Sync cell. */
        Icon dot() {
            return new DotIcon(this::color);
        }
    }

    private Look() {}

    /** The colour FlatLaf uses for a field in error, for messages beside it. */
    static Color errorText() {
        Color color = UIManager.getColor("Component.error.focusedBorderColor");
        return color != null ? color : Signal.BAD.color();
    }

    /** A small calendar drawn in the label colour, for the date field's button. */
    static Icon calendar() {
        return new Icon() {
            @Override
            public void paintIcon(Component component, Graphics graphics, int x, int y) {
                Graphics2D g = (Graphics2D) graphics.create();
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                Color color = component.isEnabled()
                        ? UIManager.getColor("Label.foreground")
                        : UIManager.getColor("Label.disabledForeground");
                g.setColor(color != null ? color : Color.DARK_GRAY);
                g.drawRoundRect(x + 1, y + 2, 13, 12, 3, 3);
                g.fillRect(x + 1, y + 2, 14, 3);
                g.fillRect(x + 4, y, 2, 4);
                g.fillRect(x + 10, y, 2, 4);
                for (int row = 0; row < 2; row++) {
                    for (int col = 0; col < 3; col++) {
                        g.fillRect(x + 4 + col * 3, y + 7 + row * 3, 2, 2);
                    }
                }
                g.dispose();
            }

            @Override
            public int getIconWidth() {
                return 16;
            }

            @Override
            public int getIconHeight() {
                return 16;
            }
        };
    }
}
