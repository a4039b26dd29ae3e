package io.salesync.headoffice.ui;

import com.github.lgooddatepicker.components.DatePicker;
import com.github.lgooddatepicker.components.DatePickerSettings;
import io.salesync.headoffice.model.SalesFilter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;
import javax.swing.Timer;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import net.miginfocom.swing.MigLayout;

/**
 * The filters above the table: branches (none ticked means all), a date range, a region and a
 * product text. Any change is applied at once (typing after a 300 ms pause). Event thread only.
 */
final class FilterBar extends JPanel {

    static final String ALL_REGIONS = "All regions";

    private static final long serialVersionUID = 1L;

    private final JPanel branchBoxes = new JPanel(new MigLayout("insets 0, gap 8 0"));
    private final Map<String, JCheckBox> branches = new LinkedHashMap<>();
    private final DatePicker from = datePicker("fromDate");
    private final DatePicker to = datePicker("toDate");
    private final JComboBox<String> region = new JComboBox<>(new String[] {ALL_REGIONS});
    private final JTextField product = new JTextField(14);
    private final JLabel problem = new JLabel();
    private final transient Consumer<SalesFilter> changed;
    private final Timer typingPause;
    private transient SalesFilter applied = SalesFilter.ALL;
    private boolean updatingChoices;

    FilterBar(Consumer<SalesFilter> changed) {
        super(new MigLayout("insets 8 8 4 8, gap 6 4", "[][]16[][]8[][]16[][]16[][]16[]push[]"));
        this.changed = changed;
        setName("filterBar");
        branchBoxes.setName("branchFilter");
        region.setName("regionFilter");
        product.setName("productFilter");
        product.putClientProperty("JTextField.placeholderText", "name contains...");
        product.putClientProperty("JTextField.showClearButton", true);
        problem.setName("filterProblem");
        problem.setForeground(javax.swing.UIManager.getColor("Component.error.focusedBorderColor"));
        JButton clear = new JButton("Clear filters");
        clear.setName("clearFilters");
        clear.addActionListener(event -> clear());

        JLabel branchesLabel = new JLabel("Branches");
        branchesLabel.setToolTipText("Tick branches to show only them; with none ticked, every branch is shown.");
        branchBoxes.setToolTipText(branchesLabel.getToolTipText());
        add(branchesLabel);
        add(branchBoxes);
        add(new JLabel("From"));
        add(from);
        add(new JLabel("to"));
        add(to);
        add(new JLabel("Region"));
        add(region, "wmin 120");
        add(new JLabel("Product"));
        add(product);
        add(problem);
        add(clear);

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
            boolean added = false;
            for (String id : branchIds) {
                if (!branches.containsKey(id)) {
                    JCheckBox box = new JCheckBox(id);
                    box.setName("branch." + id);
                    box.addActionListener(event -> apply());
                    branches.put(id, box);
                    branchBoxes.add(box);
                    added = true;
                }
            }
            if (added) {
                branchBoxes.revalidate();
            }
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
            for (Map.Entry<String, JCheckBox> entry : branches.entrySet()) {
                entry.getValue().setSelected(filter.branches().contains(entry.getKey()));
            }
            from.setDate(filter.from());
            to.setDate(filter.to());
            region.setSelectedItem(filter.region() == null ? ALL_REGIONS : filter.region());
            product.setText(filter.productText() == null ? "" : filter.productText());
            typingPause.stop();
        } finally {
            updatingChoices = false;
        }
        apply();
    }

    private void clear() {
        show(SalesFilter.ALL);
    }

    private void apply() {
        if (updatingChoices) {
            return;
        }
        Set<String> ticked = new LinkedHashSet<>();
        branches.forEach((id, box) -> {
            if (box.isSelected()) {
                ticked.add(id);
            }
        });
        LocalDate start = from.getDate();
        LocalDate end = to.getDate();
        if (start != null && end != null && end.isBefore(start)) {
            problem.setText("The end date is before the start date.");
            return;
        }
        problem.setText("");
        Object chosenRegion = region.getSelectedItem();
        SalesFilter filter = new SalesFilter(ticked, start, end,
                chosenRegion == null || ALL_REGIONS.equals(chosenRegion) ? null : chosenRegion.toString(), product.getText());
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
