package io.salesync.branch.ui;

import javax.swing.JLabel;

/** The reason beneath a wrong field, hidden while the field is fine; its colour follows the theme. */
final class ErrorLabel extends JLabel {

    ErrorLabel(String name) {
        setName(name);
        putClientProperty("FlatLaf.styleClass", "small");
        setVisible(false);
    }

    @Override
    public void updateUI() {
        super.updateUI();
        setForeground(Look.errorText());
    }

    void show(String text) {
        setText(text);
        setToolTipText(text);
        setVisible(true);
    }

    void clear() {
        setText("");
        setToolTipText(null);
        setVisible(false);
    }
}
