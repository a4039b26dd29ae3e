package io.salesync.branch.ui;

import static io.salesync.branch.ui.SuggestionBoxes.editorOf;
import static io.salesync.branch.ui.SuggestionBoxes.items;
import static io.salesync.branch.ui.SuggestionBoxes.replaceItems;
import static io.salesync.branch.ui.SuggestionBoxes.setText;
import static io.salesync.branch.ui.SuggestionBoxes.text;

import io.salesync.branch.service.SaleRow;
import io.salesync.common.sale.FieldError;
import io.salesync.common.sale.Money;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleField;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.SaleTextParser;
import io.salesync.common.sale.TaxRate;
import java.awt.Component;
import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.swing.AbstractAction;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSeparator;
import javax.swing.JTextField;
import javax.swing.KeyStroke;
import javax.swing.SwingConstants;
import javax.swing.text.JTextComponent;
import net.miginfocom.swing.MigLayout;

/**
 * The clerk's form for a new sale or a correction: Date, Region, Product, Qty and Unit cost typed,
 * Amt, Tax and Total computed as they type. Enter saves (the Save button is the window's default
 * button), Escape clears. A wrong field is outlined in red with the reason beneath it.
 *
 * <p>Event thread only. Maps the form to a {@link SaleInput} and back; saving is the window's job.
 */
final class SaleEntryPanel extends JPanel {

    /** The sale being corrected: its id and the version the clerk loaded. */
    record Editing(UUID id, long version) {}

    /** Asked to save what the form holds; {@code editing} is null for a new sale. */
    @FunctionalInterface
    interface SaveRequest {
        void save(SaleInput input, Editing editing);
    }

    private final TaxRate taxRate;
    private final JLabel title = new JLabel("New sale");
    private final DateField date = new DateField();
    private final JComboBox<String> region = SuggestionBoxes.create("region");
    private final JComboBox<String> product = SuggestionBoxes.create("product");
    private final JTextField qty = numberField("qty", 6);
    private final JTextField cost = numberField("cost", 8);
    private final JLabel amt = computedValue("amt");
    private final JLabel tax = computedValue("tax");
    private final JLabel total = computedValue("total");
    private final JButton save = new JButton("Save");
    private final JButton clear = new JButton("Clear");
    private final WrapLabel message = new WrapLabel("formMessage");
    private final JLabel todayCount = new JLabel("\u2013", SwingConstants.RIGHT);
    private final JLabel todayTotal = new JLabel("\u2013", SwingConstants.RIGHT);
    private final Map<SaleField, ErrorLabel> errors = new EnumMap<>(SaleField.class);
    private SaveRequest saveRequest = (input, editing) -> {};
    private Consumer<String> onMessage = text -> {};
    private Editing editing;

    SaleEntryPanel(TaxRate taxRate) {
        super(new MigLayout("insets 12 12 12 8, wrap 2, hidemode 3, gapy 3", "[right]10[150:190:,grow,fill]", ""));
        this.taxRate = taxRate;
        setName("saleForm");
        title.setName("formTitle");
        title.putClientProperty("FlatLaf.styleClass", "h3");
        add(title, "span 2, left, gapbottom 8");

        addField("Date", KeyEvent.VK_D, date, date.focusTarget(), SaleField.DATE);
        addField("Region", KeyEvent.VK_R, region, region.getEditor().getEditorComponent(), SaleField.REGION);
        addField("Product", KeyEvent.VK_P, product, product.getEditor().getEditorComponent(), SaleField.PRODUCT);
        addField("Qty", KeyEvent.VK_Q, qty, qty, SaleField.QTY);
        addField("Unit cost", KeyEvent.VK_C, cost, cost, SaleField.COST);

        add(new JSeparator(), "span 2, growx, gaptop 8, gapbottom 6");
        add(new JLabel("Amt"));
        add(amt, "gapright 6");
        add(new JLabel("Tax (" + taxRate + ")"));
        add(tax, "gapright 6");
        JLabel totalLabel = new JLabel("Total");
        totalLabel.putClientProperty("FlatLaf.styleClass", "large");
        total.putClientProperty("FlatLaf.styleClass", "large");
        add(totalLabel);
        add(total, "gapright 6");

        save.setName("save");
        save.setMnemonic(KeyEvent.VK_S);
        save.setToolTipText("Save the sale (Enter)");
        clear.setName("clear");
        clear.setMnemonic(KeyEvent.VK_L);
        clear.setToolTipText("Clear the form (Escape)");
        clear.setFocusable(false);
        save.addActionListener(event -> requestSave());
        clear.addActionListener(event -> clearForm());
        add(clear, "span 2, split 2, right, gaptop 10, sg buttons");
        add(save, "sg buttons");

        JLabel hint = new JLabel("Enter saves \u00b7 Escape clears");
        hint.setName("formHint");
        hint.putClientProperty("FlatLaf.styleClass", "small");
        hint.putClientProperty("FlatLaf.style", "foreground: $Label.disabledForeground");
        add(hint, "span 2, right");
        add(message, "span 2, growx, width 0:0:, gaptop 6");

        JLabel todayTitle = new JLabel("Today at this branch");
        todayTitle.putClientProperty("FlatLaf.styleClass", "h4");
        add(todayTitle, "span 2, left, gaptop 18");
        add(new JLabel("Sales"));
        todayCount.setName("todayCount");
        add(todayCount);
        add(new JLabel("Total"));
        todayTotal.setName("todayTotal");
        add(todayTotal);

        Suggestions.attach(editorOf(region), "regionSuggestions", () -> items(region));
        Suggestions.attach(editorOf(product), "productSuggestions", () -> items(product));
        Documents.onChange(qty, this::recompute);
        Documents.onChange(cost, this::recompute);
        clearErrorWhenEdited(date.textField(), SaleField.DATE);
        clearErrorWhenEdited(editorOf(region), SaleField.REGION);
        clearErrorWhenEdited(editorOf(product), SaleField.PRODUCT);
        clearErrorWhenEdited(qty, SaleField.QTY);
        clearErrorWhenEdited(cost, SaleField.COST);

        getInputMap(WHEN_ANCESTOR_OF_FOCUSED_COMPONENT).put(KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), "clearForm");
        getActionMap().put("clearForm", new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                clearForm();
            }
        });
        date.setDate(LocalDate.now());
        recompute();
    }

    /** The button Enter presses; the window makes it its default button. */
    JButton saveButton() {
        return save;
    }

    void onSave(SaveRequest request) {
        this.saveRequest = request;
    }

    /** Told every sentence the form shows under its buttons (empty when it clears), for the status bar. */
    void onMessage(Consumer<String> listener) {
        this.onMessage = listener;
    }

    /** Offers the regions and products already used, keeping what the clerk is typing. */
    void setSuggestions(List<String> regions, List<String> products) {
        replaceItems(region, regions);
        replaceItems(product, products);
    }

    /** The day so far: how many sales dated today and their total. */
    void showToday(int count, BigDecimal total) {
        todayCount.setText(String.format("%,d", count));
        todayTotal.setText(Formats.money(total));
    }

    /** Loads a sale to correct it. */
    void edit(SaleRow row) {
        Sale sale = row.sale();
        clearErrors();
        editing = new Editing(sale.id(), sale.version());
        date.setDate(sale.date());
        setText(region, sale.region());
        setText(product, sale.product());
        qty.setText(String.valueOf(sale.qty()));
        cost.setText(sale.cost().toPlainString());
        title.setText("Correct sale of " + sale.date());
        save.setText("Save correction");
        showMessage("Escape cancels the correction.", false);
        region.requestFocusInWindow();
    }

    /** True while a loaded sale is being corrected. */
    boolean isEditing(UUID id) {
        return editing != null && editing.id().equals(id);
    }

    /** While a save runs: nothing can be saved twice. */
    void setBusy(boolean busy) {
        save.setEnabled(!busy);
    }

    /**
     * After a save: an empty form for the next sale, focus on Region. A new sale keeps its date
     * (a clerk typing yesterday's receipts types them in a row); after a correction the form is a
     * new sale dated today again, whatever date the corrected sale had.
     */
    void saved(String confirmation) {
        LocalDate keep = editing != null ? null : SaleTextParser.parseDate(date.getText(), new ArrayList<>());
        resetFields(keep != null ? keep : LocalDate.now());
        showMessage(confirmation, false);
        region.requestFocusInWindow();
    }

    /** Escape: back to a new sale dated today, focus on Date. */
    void clearForm() {
        resetFields(LocalDate.now());
        showMessage("", false);
        date.focusTarget().requestFocusInWindow();
    }

    /** Marks each wrong field and says why beneath it; focus goes to the first. */
    void showErrors(List<FieldError> fieldErrors) {
        clearErrors();
        JComponent first = null;
        for (FieldError error : fieldErrors) {
            ErrorLabel label = errors.get(error.field());
            if (label == null) {
                continue;
            }
            label.show(error.message());
            outline(error.field(), true);
            if (first == null) {
                first = focusTarget(error.field());
            }
        }
        showMessage("Not saved: correct the marked field" + (fieldErrors.size() > 1 ? "s." : "."), true);
        if (first != null) {
            first.requestFocusInWindow();
        }
    }

    /** A sentence under the buttons: a confirmation, or why nothing was saved. */
    void showMessage(String text, boolean problem) {
        message.setPlainText(text);
        message.setForeground(problem ? Look.errorText() : null);
        onMessage.accept(text == null ? "" : text);
    }

    private void requestSave() {
        SaleTextParser.Result result =
                SaleTextParser.parse(date.getText(), text(region), text(product), qty.getText(), cost.getText());
        if (!result.ok()) {
            showErrors(result.errors());
            return;
        }
        clearErrors();
        saveRequest.save(result.input(), editing);
    }

    private void resetFields(LocalDate day) {
        editing = null;
        clearErrors();
        date.setDate(day);
        setText(region, "");
        setText(product, "");
        qty.setText("");
        cost.setText("");
        title.setText("New sale");
        save.setText("Save");
    }

    private void recompute() {
        Integer quantity = parseQuantity(qty.getText());
        BigDecimal unitCost = SaleTextParser.parseMoney(SaleField.COST, cost.getText(), new ArrayList<>());
        if (quantity == null || unitCost == null || unitCost.signum() < 0) {
            amt.setText(" ");
            tax.setText(" ");
            total.setText(" ");
            return;
        }
        BigDecimal amount = Money.amount(quantity, unitCost);
        BigDecimal taxAmount = Money.tax(amount, taxRate);
        amt.setText(Formats.money(amount));
        tax.setText(Formats.money(taxAmount));
        total.setText(Formats.money(amount.add(taxAmount)));
    }

    private static Integer parseQuantity(String text) {
        try {
            int value = Integer.parseInt(text.strip());
            return value > 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void addField(String label, int mnemonic, JComponent field, Component focus, SaleField saleField) {
        JLabel name = new JLabel(label);
        name.setDisplayedMnemonic(mnemonic);
        name.setLabelFor(focus);
        add(name);
        add(field);
        ErrorLabel error = new ErrorLabel(saleField.name().toLowerCase(Locale.ROOT) + "Error");
        errors.put(saleField, error);
        add(error, "skip 1, growx, width 0:0:");
    }

    private void clearErrors() {
        for (SaleField field : errors.keySet()) {
            errors.get(field).clear();
            outline(field, false);
        }
    }

    private void outline(SaleField field, boolean error) {
        String value = error ? "error" : null;
        switch (field) {
            case DATE -> date.setError(error);
            case REGION -> region.putClientProperty("JComponent.outline", value);
            case PRODUCT -> product.putClientProperty("JComponent.outline", value);
            case QTY -> qty.putClientProperty("JComponent.outline", value);
            case COST -> cost.putClientProperty("JComponent.outline", value);
            default -> {}
        }
    }

    private JComponent focusTarget(SaleField field) {
        return switch (field) {
            case DATE -> date.focusTarget();
            case REGION -> editorOf(region);
            case PRODUCT -> editorOf(product);
            case QTY -> qty;
            default -> cost;
        };
    }

    private void clearErrorWhenEdited(JTextComponent field, SaleField saleField) {
        Documents.onChange(field, () -> {
            ErrorLabel label = errors.get(saleField);
            if (label != null && label.isVisible()) {
                label.clear();
                outline(saleField, false);
            }
        });
    }

    private static JTextField numberField(String name, int columns) {
        JTextField field = new JTextField(columns);
        field.setName(name);
        field.setHorizontalAlignment(SwingConstants.RIGHT);
        return field;
    }

    /** Amt, Tax and Total: worked out, not typed, so shown as text rather than as a field in either theme. */
    private static JLabel computedValue(String name) {
        JLabel value = new JLabel(" ");
        value.setName(name);
        value.setHorizontalAlignment(SwingConstants.RIGHT);
        return value;
    }
}
