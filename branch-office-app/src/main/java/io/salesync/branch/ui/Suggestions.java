package io.salesync.branch.ui;

import java.awt.Component;
import java.awt.Dimension;
import java.awt.Point;
import java.awt.event.FocusAdapter;
import java.awt.event.FocusEvent;
import java.awt.event.KeyAdapter;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.swing.DefaultListModel;
import javax.swing.JList;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.ListSelectionModel;
import javax.swing.Popup;
import javax.swing.PopupFactory;
import javax.swing.SwingUtilities;

/**
 * Suggestions while typing: under a text field, the values already used that contain what was
 * typed (those that start with it first). The text stays as typed until the clerk picks one with
 * Down and Enter or a click; Escape or Tab closes the list, and typing on ignores it. Event thread only.
 */
final class Suggestions {

    private static final int MOST = 8;

    private final JTextField field;
    private final Supplier<List<String>> values;
    private final DefaultListModel<String> shown = new DefaultListModel<>();
    private final JList<String> list = new JList<>(shown);
    private Popup popup;
    private boolean picking;
    private boolean typed;

    private Suggestions(JTextField field, String name, Supplier<List<String>> values) {
        this.field = field;
        this.values = values;
        list.setName(name);
        list.setFocusable(false);
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent event) {
                int index = list.locationToIndex(event.getPoint());
                if (index >= 0) {
                    pick(shown.get(index));
                }
            }
        });
        // only what the clerk types opens the list, not a value the form puts in the field
        Documents.onChange(field, () -> {
            if (!picking && typed) {
                SwingUtilities.invokeLater(this::update);
            }
        });
        field.addKeyListener(new KeyAdapter() {
            @Override
            public void keyTyped(KeyEvent event) {
                typed = true;
            }

            @Override
            public void keyPressed(KeyEvent event) {
                if (popup == null) {
                    return;
                }
                switch (event.getKeyCode()) {
                    case KeyEvent.VK_DOWN -> move(1, event);
                    case KeyEvent.VK_UP -> move(-1, event);
                    case KeyEvent.VK_ENTER -> {
                        if (list.getSelectedIndex() >= 0) {
                            pick(list.getSelectedValue());
                            event.consume();
                        } else {
                            hide();
                        }
                    }
                    case KeyEvent.VK_ESCAPE -> {
                        hide();
                        event.consume();
                    }
                    case KeyEvent.VK_TAB -> hide();
                    default -> {}
                }
            }
        });
        field.addFocusListener(new FocusAdapter() {
            @Override
            public void focusLost(FocusEvent event) {
                hide();
            }
        });
    }

    /**
     * Offers {@code values} (read when the clerk types) under {@code field}; the list is named
     * {@code name}.
     */
    static Suggestions attach(JTextField field, String name, Supplier<List<String>> values) {
        return new Suggestions(field, name, values);
    }

    /** True while the list is showing. */
    boolean showing() {
        return popup != null;
    }

    void hide() {
        if (popup != null) {
            popup.hide();
            popup = null;
        }
    }

    private void update() {
        typed = false;
        String text = field.getText().strip();
        List<String> matches = text.isEmpty() || !field.isFocusOwner() ? List.of() : matching(values.get(), text);
        if (matches.isEmpty() || matches.size() == 1 && matches.get(0).equals(text)) {
            hide();
            return;
        }
        shown.clear();
        shown.addAll(matches);
        list.clearSelection();
        list.setVisibleRowCount(Math.min(MOST, matches.size()));
        hide();
        JScrollPane scroll = new JScrollPane(list);
        scroll.setFocusable(false);
        int width = Math.max(field.getWidth(), list.getPreferredSize().width + 24);
        scroll.setPreferredSize(new Dimension(width, scroll.getPreferredSize().height));
        Point below = new Point(0, field.getHeight());
        SwingUtilities.convertPointToScreen(below, field);
        popup = PopupFactory.getSharedInstance().getPopup(field, scroll, below.x, below.y);
        popup.show();
    }

    /** Values containing the typed text, case-insensitive; those starting with it first. */
    static List<String> matching(List<String> all, String typed) {
        String needle = typed.toLowerCase(Locale.ROOT);
        List<String> starting = new ArrayList<>();
        List<String> containing = new ArrayList<>();
        for (String value : all) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.startsWith(needle)) {
                starting.add(value);
            } else if (lower.contains(needle)) {
                containing.add(value);
            }
        }
        starting.addAll(containing);
        return starting.size() > 50 ? starting.subList(0, 50) : starting;
    }

    private void move(int step, KeyEvent event) {
        int size = shown.size();
        int next = Math.max(0, Math.min(size - 1, list.getSelectedIndex() + step));
        list.setSelectedIndex(next);
        list.ensureIndexIsVisible(next);
        event.consume();
    }

    private void pick(String value) {
        picking = true;
        try {
            field.setText(value);
        } finally {
            picking = false;
        }
        hide();
        field.requestFocusInWindow();
    }

    Component list() {
        return list;
    }
}
