package io.salesync.branch.ui;

import java.util.ArrayList;
import java.util.List;
import javax.swing.DefaultComboBoxModel;
import javax.swing.JComboBox;
import javax.swing.JTextField;
import javax.swing.plaf.basic.BasicComboBoxEditor;

/**
 * The form's Region and Product: editable combo boxes that offer the values already used. What the
 * clerk typed is the editor's text, which a new list of values keeps. Event thread only.
 */
final class SuggestionBoxes {

    private SuggestionBoxes() {}

    /** An editable box named {@code name}, its editor named {@code name + "Editor"}. */
    static JComboBox<String> create(String name) {
        JComboBox<String> box = new JComboBox<>(new DefaultComboBoxModel<>());
        box.setName(name);
        // Our own editor (not a look-and-feel resource) survives a theme change with its listeners.
        box.setEditor(new BasicComboBoxEditor());
        box.setEditable(true);
        box.setMaximumRowCount(12);
        editorOf(box).setName(name + "Editor");
        return box;
    }

    static JTextField editorOf(JComboBox<String> box) {
        return (JTextField) box.getEditor().getEditorComponent();
    }

    /** The values offered. */
    static List<String> items(JComboBox<String> box) {
        List<String> values = new ArrayList<>(box.getItemCount());
        for (int i = 0; i < box.getItemCount(); i++) {
            values.add(box.getItemAt(i));
        }
        return values;
    }

    /** What the box shows: the editor's text. */
    static String text(JComboBox<String> box) {
        return editorOf(box).getText();
    }

    static void setText(JComboBox<String> box, String value) {
        box.setSelectedItem(value);
        editorOf(box).setText(value);
    }

    /** Offers other values, keeping what the clerk is typing. */
    static void replaceItems(JComboBox<String> box, List<String> items) {
        String typed = text(box);
        DefaultComboBoxModel<String> model = (DefaultComboBoxModel<String>) box.getModel();
        model.removeAllElements();
        model.addAll(items);
        setText(box, typed);
    }
}
