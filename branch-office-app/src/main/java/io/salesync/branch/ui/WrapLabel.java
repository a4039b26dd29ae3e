package io.salesync.branch.ui;

import java.awt.Dimension;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;
import javax.swing.plaf.basic.BasicHTML;
import javax.swing.text.View;

/**
 * A label whose text wraps onto more lines at the width it is given instead of being cut; it asks
 * for the height that takes. {@link #getText()} gives the text without the markup that wraps it.
 */
class WrapLabel extends JLabel {

    private String plain = "";

    WrapLabel(String name) {
        setName(name);
        setVerticalAlignment(TOP);
    }

    /** Shows the text, wrapped; empty text keeps one line of height so that nothing below moves. */
    void setPlainText(String text) {
        plain = text == null ? "" : text;
        super.setText(
                plain.isEmpty()
                        ? " "
                        : "<html>"
                                + plain.replace("&", "&amp;")
                                        .replace("<", "&lt;")
                                        .replace(">", "&gt;") + "</html>");
        setToolTipText(plain.isEmpty() ? null : plain);
        revalidate();
    }

    /** The text as given, without markup. */
    String plainText() {
        return plain;
    }

    /** As wide as it is given; as tall as its text wrapped to that width. */
    @Override
    public Dimension getPreferredSize() {
        Dimension preferred = super.getPreferredSize();
        View view = (View) getClientProperty(BasicHTML.propertyKey);
        int width = getWidth();
        if (view == null || width <= 0) {
            return new Dimension(Math.min(preferred.width, 200), preferred.height);
        }
        view.setSize(width, 0);
        return new Dimension(width, (int) Math.ceil(view.getPreferredSpan(View.Y_AXIS)));
    }

    @Override
    public Dimension getMinimumSize() {
        return new Dimension(0, getPreferredSize().height);
    }

    @Override
    public void setBounds(int x, int y, int width, int height) {
        boolean widthChanged = width != getWidth();
        super.setBounds(x, y, width, height);
        if (widthChanged && isVisible() && getPreferredSize().height != height) {
            SwingUtilities.invokeLater(this::revalidate);
        }
    }
}
