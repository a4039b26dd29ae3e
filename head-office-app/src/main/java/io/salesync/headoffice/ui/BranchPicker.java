package io.salesync.headoffice.ui;

import java.awt.Component;
import java.awt.Dimension;
import java.awt.Rectangle;
import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.swing.AbstractAction;
import javax.swing.Action;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JPopupMenu;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.KeyStroke;
import javax.swing.ListCellRenderer;
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import net.miginfocom.swing.MigLayout;

/**
 * The branch filter: a button on the filter bar that says what is picked ("All branches", "bo1,
 * bo2", "12 of 200 branches") and opens a popup with a search field, "Select all" and "Select
 * none" for the branches the search shows, and a list of check boxes. Typing narrows the list; Up
 * and Down move through it from the search field, Enter or Space ticks the highlighted branch,
 * Escape closes the popup. Every tick applies at once. Event thread only.
 */
final class BranchPicker extends JButton {

    private static final long serialVersionUID = 1L;
    private static final String ARROW = " \u25be";
    /** The narrowest the button gets, so that it does not shrink below its usual text. */
    private static final String PROTOTYPE = BranchChoices.ALL + ARROW;

    private final JPopupMenu popup = new JPopupMenu();
    private final JTextField search = new JTextField(14);
    private final DefaultListModel<String> shownModel = new DefaultListModel<>();
    private final JList<String> list = new JList<>(shownModel);
    private final JLabel counts = new JLabel();
    private final transient Runnable changed;
    private List<String> known = List.of();
    private final Set<String> picked = new LinkedHashSet<>();

    /** @param changed run after the picks changed (by the person, not by {@link #pick}) */
    BranchPicker(Runnable changed) {
        this.changed = changed;
        setName("branchFilter");
        setHorizontalAlignment(LEADING);
        addActionListener(event -> open());
        getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_DOWN, 0), "openBranches");
        getActionMap().put("openBranches", action(this::open));

        popup.setName("branchPopup");
        search.setName("branchSearch");
        search.putClientProperty("JTextField.placeholderText", "Search branches");
        search.putClientProperty("JTextField.showClearButton", true);
        search.setToolTipText("Type part of a branch id; several words show the branches with any of them.");
        list.setName("branchList");
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.setVisibleRowCount(12);
        list.setCellRenderer(new Ticks());
        counts.setName("branchCounts");
        counts.putClientProperty("FlatLaf.styleClass", "small");
        JButton all = new JButton("Select all");
        all.setName("branchSelectAll");
        all.setToolTipText("Tick every branch the search shows");
        all.addActionListener(event -> tickShown(true));
        JButton none = new JButton("Select none");
        none.setName("branchSelectNone");
        none.setToolTipText("Untick every branch the search shows; with none ticked, every branch is shown");
        none.addActionListener(event -> tickShown(false));

        JPanel content = new JPanel(new MigLayout("insets 6, gap 6 6, fillx", "[grow, fill]"));
        content.add(search, "wrap");
        content.add(all, "split 2, growx 0");
        content.add(none, "growx 0, wrap");
        JScrollPane scroll = new JScrollPane(list);
        scroll.setPreferredSize(new Dimension(240, 260));
        content.add(scroll, "grow, wrap");
        content.add(counts);
        popup.add(content);

        search.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                narrow();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                narrow();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
                narrow();
            }
        });
        bind(search, KeyEvent.VK_DOWN, () -> move(1));
        bind(search, KeyEvent.VK_UP, () -> move(-1));
        bind(search, KeyEvent.VK_ENTER, this::toggleHighlighted);
        bind(list, KeyEvent.VK_SPACE, this::toggleHighlighted);
        bind(list, KeyEvent.VK_ENTER, this::toggleHighlighted);
        content.getInputMap(WHEN_ANCESTOR_OF_FOCUSED_COMPONENT)
                .put(KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), "closeBranches");
        content.getActionMap().put("closeBranches", action(this::close));
        list.addMouseListener(new MouseAdapter() {
            @Override
            public void mousePressed(MouseEvent event) {
                int index = list.locationToIndex(event.getPoint());
                Rectangle cell = index < 0 ? null : list.getCellBounds(index, index);
                if (cell != null && cell.contains(event.getPoint())) {
                    toggle(shownModel.get(index));
                }
            }
        });
        showSummary();
    }

    /** The branches to offer, kept in natural order; picks stay as they are. */
    void branches(List<String> ids) {
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(BranchChoices.NATURAL);
        if (sorted.equals(known)) {
            return;
        }
        known = List.copyOf(sorted);
        narrow();
        showSummary();
    }

    /** The picked branches; empty when none or every branch is picked (the filter leaves all in). */
    Set<String> picked() {
        return BranchChoices.all(picked, known) ? Set.of() : Set.copyOf(picked);
    }

    /** Sets the picks (a filter being shown); tells no one. */
    void pick(Set<String> branches) {
        picked.clear();
        branches.stream().sorted(BranchChoices.NATURAL).forEach(picked::add);
        list.repaint();
        showSummary();
    }

    @Override
    public Dimension getPreferredSize() {
        Dimension size = super.getPreferredSize();
        int prototype = getFontMetrics(getFont()).stringWidth(PROTOTYPE) + getInsets().left + getInsets().right;
        return new Dimension(Math.max(size.width, prototype), size.height);
    }

    private void open() {
        narrow();
        popup.show(this, 0, getHeight());
        SwingUtilities.invokeLater(() -> {
            search.requestFocusInWindow();
            search.selectAll();
        });
    }

    private void close() {
        popup.setVisible(false);
        requestFocusInWindow();
    }

    /** Shows the branches the search matches, highlighting the first. */
    private void narrow() {
        List<String> shown = BranchChoices.shown(known, search.getText());
        List<String> current = new ArrayList<>(shownModel.size());
        for (int i = 0; i < shownModel.size(); i++) {
            current.add(shownModel.get(i));
        }
        if (!current.equals(shown)) {
            shownModel.clear();
            shownModel.addAll(shown);
            if (!shown.isEmpty()) {
                list.setSelectedIndex(0);
                list.ensureIndexIsVisible(0);
            }
        }
        showCounts();
    }

    private void move(int by) {
        if (shownModel.isEmpty()) {
            return;
        }
        int next = Math.max(0, Math.min(shownModel.size() - 1, list.getSelectedIndex() + by));
        list.setSelectedIndex(next);
        list.ensureIndexIsVisible(next);
    }

    private void toggleHighlighted() {
        String branch = list.getSelectedValue();
        if (branch != null) {
            toggle(branch);
        }
    }

    private void toggle(String branch) {
        if (!picked.remove(branch)) {
            picked.add(branch);
        }
        changedByPerson();
    }

    private void tickShown(boolean tick) {
        for (int i = 0; i < shownModel.size(); i++) {
            if (tick) {
                picked.add(shownModel.get(i));
            } else {
                picked.remove(shownModel.get(i));
            }
        }
        changedByPerson();
    }

    private void changedByPerson() {
        List<String> ordered = new ArrayList<>(picked);
        ordered.sort(BranchChoices.NATURAL);
        picked.clear();
        picked.addAll(ordered);
        list.repaint();
        showSummary();
        changed.run();
    }

    private void showSummary() {
        setText(BranchChoices.summary(picked, known) + ARROW);
        setToolTipText(
                BranchChoices.all(picked, known)
                        ? "Every branch is shown. Click (or press Down) to pick branches and search them."
                        : "Shown: " + String.join(", ", picked) + ". Click (or press Down) to change.");
        showCounts();
    }

    private void showCounts() {
        counts.setText(shownModel.size() + " of " + known.size() + " shown; "
                + (BranchChoices.all(picked, known) ? "none ticked: every branch" : picked.size() + " ticked"));
    }

    private static void bind(JComponent component, int key, Runnable run) {
        String name = "branchKey" + key;
        component.getInputMap().put(KeyStroke.getKeyStroke(key, 0), name);
        component.getActionMap().put(name, action(run));
    }

    private static Action action(Runnable run) {
        return new AbstractAction() {
            private static final long serialVersionUID = 1L;

            @Override
            public void actionPerformed(ActionEvent event) {
                run.run();
            }
        };
    }

    /** A check box per branch, ticked when picked; the highlighted row as the list highlights. */
    private final class Ticks implements ListCellRenderer<String> {

        private final JCheckBox box = new JCheckBox();

        @Override
        public Component getListCellRendererComponent(
                JList<? extends String> owner, String branch, int index, boolean highlighted, boolean focused) {
            box.setText(branch);
            box.setSelected(picked.contains(branch));
            box.setOpaque(true);
            box.setBackground(highlighted ? owner.getSelectionBackground() : owner.getBackground());
            box.setForeground(highlighted ? owner.getSelectionForeground() : owner.getForeground());
            box.setFont(owner.getFont());
            return box;
        }
    }
}
