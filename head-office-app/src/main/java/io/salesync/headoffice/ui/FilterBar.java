package io.salesync.headoffice.ui;

import com.github.lgooddatepicker.components.DatePicker;
import com.github.lgooddatepicker.components.DatePickerSettings;
import io.salesync.desktop.WrapLayout;
import io.salesync.headoffice.model.SalesFilter;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.FlowLayout;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;
import javax.swing.Timer;
import javax.swing.UIManager;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import net.miginfocom.swing.MigLayout;

/**
 * The filters above the table: branches (a searchable multi-select, {@link BranchPicker}; none
 * ticked means all), a date range, a region and a product text. Any change is applied at once (typing after a 300 ms pause). Event thread only.
 *
 * <p>The filters wrap onto a second line in a narrow window rather than being cut off. A date that
 * is not a date, or an end before the start, is said in a line under the filters and the field is
 * outlined; no other field moves or shrinks.
 */
final class FilterBar extends JPanel {

    static final String ALL_REGIONS = "All regions";

    private static final long serialVersionUID = 1L;

    private final BranchPicker branches = new BranchPicker(this::apply);
    private final DatePicker from = datePicker("fromDate");
    private final DatePicker to = datePicker("toDate");
    private final JComboBox<String> region = new JComboBox<>(new String[] {ALL_REGIONS});
    private final JTextField product = new JTextField(12);
    private final JLabel problem = new JLabel();
    private final JPanel fields = new JPanel(new WrapLayout(FlowLayout.LEADING, 14, 3));
    /** What was typed into a date field that is not a date, per field; kept until that field is edited. */
    private final Map<DatePicker, String> notADate = new HashMap<>();

    private final transient Consumer<SalesFilter> changed;
    private final Timer typingPause;
    private transient SalesFilter applied = SalesFilter.ALL;
    private boolean updatingChoices;

    FilterBar(Consumer<SalesFilter> changed) {
        super(new BorderLayout());
        this.changed = changed;
        setName("filterBar");
        region.setName("regionFilter");
        product.setName("productFilter");
        product.putClientProperty("JTextField.placeholderText", "name contains...");
        product.putClientProperty("JTextField.showClearButton", true);
        problem.setName("filterProblem");
        problem.setBorder(BorderFactory.createEmptyBorder(0, 12, 4, 8));
        problem.setVisible(false);
        fields.setName("filterFields");
        JButton clear = new JButton("Clear filters");
        clear.setName("clearFilters");
        clear.addActionListener(event -> clear());

        JLabel branchesLabel = new JLabel("Branches");
        branchesLabel.setToolTipText("Tick branches to show only them; with none ticked, every branch is shown.");
        branchesLabel.setLabelFor(branches);
        branchesLabel.setDisplayedMnemonic('B');
        fields.add(group(branchesLabel, branches));
        JPanel dates = group(new JLabel("From"), from);
        dates.add(new JLabel("to"), "gapleft 4");
        dates.add(to);
        fields.add(dates);
        fields.add(group(new JLabel("Region"), region));
        fields.add(group(new JLabel("Product"), product));
        fields.add(clear);
        add(fields, BorderLayout.CENTER);
        add(problem, BorderLayout.SOUTH);
        watchTypedDate(from, "From");
        watchTypedDate(to, "To");

        typingPause = new Timer(300, event -> apply());
        typingPause.setRepeats(false);
        from.addDateChangeListener(event -> apply());
        to.addDateChangeListener(event -> apply());
        region.addActionListener(event -> {
            if (!updatingChoices) {
                apply();
            }
        });
        product.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                typingPause.restart();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                typingPause.restart();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
                typingPause.restart();
            }
        });
    }

    SalesFilter filter() {
        return applied;
    }

    /** Offers the branches and regions the data has; keeps what is ticked and chosen. */
    void choices(List<String> branchIds, List<String> regions) {
        updatingChoices = true;
        try {
            branches.branches(branchIds);
            List<String> wanted = new ArrayList<>();
            wanted.add(ALL_REGIONS);
            wanted.addAll(regions);
            List<String> current = new ArrayList<>();
            for (int i = 0; i < region.getItemCount(); i++) {
                current.add(region.getItemAt(i));
            }
            if (!current.equals(wanted)) {
                Object selected = region.getSelectedItem();
                region.removeAllItems();
                wanted.forEach(region::addItem);
                if (selected != null && !wanted.contains(selected)) {
                    region.addItem((String) selected);
                }
                region.setSelectedItem(selected == null ? ALL_REGIONS : selected);
            }
        } finally {
            updatingChoices = false;
        }
    }

    /** Sets every widget from a filter and applies it (used by the benchmark and tests). */
    void show(SalesFilter filter) {
        updatingChoices = true;
        try {
            branches.pick(filter.branches());
            from.setDate(filter.from());
            to.setDate(filter.to());
            region.setSelectedItem(filter.region() == null ? ALL_REGIONS : filter.region());
            product.setText(filter.productText() == null ? "" : filter.productText());
            typingPause.stop();
            notADate.clear();
        } finally {
            updatingChoices = false;
        }
        apply();
    }

    private void clear() {
        show(SalesFilter.ALL);
    }

    /** A label and its field, kept together on one line when the bar wraps. */
    private static JPanel group(JLabel label, Component field) {
        JPanel group = new JPanel(new MigLayout("insets 0, gap 6 0", "", "[center]"));
        group.add(label);
        group.add(field);
        return group;
    }

    /**
     * Says so when what is typed into a date field is not a date ("yesterday"): the date picker
     * would otherwise keep its last date without a word. The message stays until that field is
     * edited again or a date is picked.
     */
    private void watchTypedDate(DatePicker picker, String name) {
        JTextField text = picker.getComponentDateTextField();
        text.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                typed();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                typed();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
                typed();
            }

            private void typed() {
                if (!text.isFocusOwner()) {
                    return; // the picker itself putting back its last date, or a filter being set
                }
                String typed = text.getText().strip();
                if (typed.isEmpty() || picker.isTextValid(typed)) {
                    notADate.remove(picker);
                } else {
                    notADate.put(
                            picker,
                            name + ": \u201c" + typed + "\u201d is not a date; type it as "
                                    + LocalDate.now().minusDays(1) + " or pick it from the calendar.");
                }
                showProblems();
            }
        });
    }

    /** The date problems under the bar, the fields concerned outlined in red; nothing else moves. */
    private void showProblems() {
        List<String> problems = new ArrayList<>();
        for (DatePicker picker : List.of(from, to)) {
            if (notADate.containsKey(picker)) {
                problems.add(notADate.get(picker));
            }
        }
        LocalDate start = from.getDate();
        LocalDate end = to.getDate();
        boolean backwards = start != null && end != null && end.isBefore(start);
        if (backwards) {
            problems.add("The end date " + end + " is before the start date " + start
                    + ": the filter still shows the dates before it.");
        }
        outline(from, notADate.containsKey(from));
        outline(to, notADate.containsKey(to) || backwards);
        problem.setForeground(UIManager.getColor("Component.error.focusedBorderColor"));
        problem.setText(String.join("  ", problems));
        problem.setToolTipText(problems.isEmpty() ? null : String.join(" ", problems));
        if (problem.isVisible() != !problems.isEmpty()) {
            problem.setVisible(!problems.isEmpty());
            revalidate();
        }
    }

    private static void outline(DatePicker picker, boolean error) {
        picker.getComponentDateTextField().putClientProperty("JComponent.outline", error ? "error" : null);
    }

    private void apply() {
        if (updatingChoices) {
            return;
        }
        Set<String> ticked = branches.picked();
        LocalDate start = from.getDate();
        LocalDate end = to.getDate();
        showProblems();
        if (start != null && end != null && end.isBefore(start)) {
            return;
        }
        Object chosenRegion = region.getSelectedItem();
        SalesFilter filter = new SalesFilter(
                ticked,
                start,
                end,
                chosenRegion == null || ALL_REGIONS.equals(chosenRegion) ? null : chosenRegion.toString(),
                product.getText());
        if (!Objects.equals(filter, applied)) {
            applied = filter;
            changed.accept(filter);
        }
    }

    private static DatePicker datePicker(String name) {
        DatePickerSettings settings = new DatePickerSettings();
        settings.setFormatForDatesCommonEra("yyyy-MM-dd");
        settings.setAllowKeyboardEditing(true);
        DatePicker picker = new DatePicker(settings);
        picker.setName(name);
        picker.getComponentDateTextField().setName(name + ".text");
        picker.getComponentDateTextField().setColumns(9);
        return picker;
    }
}
