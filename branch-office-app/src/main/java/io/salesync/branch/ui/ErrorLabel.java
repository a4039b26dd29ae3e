package io.salesync.branch.ui;

/**
 * The reason beneath a wrong field, hidden while the field is fine; its colour follows the theme.
 * A long reason wraps onto a second line at the field's width instead of being cut.
 */
final class ErrorLabel extends WrapLabel {

    ErrorLabel(String name) {
        super(name);
        putClientProperty("FlatLaf.styleClass", "small");
        setVisible(false);
    }

    @Override
    public void updateUI() {
        super.updateUI();
        setForeground(Look.errorText());
    }

    void show(String text) {
        setPlainText(text);
        setVisible(true);
    }

    void clear() {
        setPlainText("");
        setVisible(false);
    }
}
