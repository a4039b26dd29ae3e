package io.salesync.branch.ui;

import com.github.lgooddatepicker.components.CalendarPanel;
import com.github.lgooddatepicker.components.DatePickerSettings;
import com.github.lgooddatepicker.components.DatePickerSettings.DateArea;
import com.github.lgooddatepicker.optionalusertools.CalendarListener;
import com.github.lgooddatepicker.zinternaltools.CalendarSelectionEvent;
import com.github.lgooddatepicker.zinternaltools.YearMonthChangeEvent;
import io.salesync.common.sale.SaleTextParser;
import java.awt.Color;
import java.awt.event.ActionEvent;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Locale;
import javax.swing.AbstractAction;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JPanel;
import javax.swing.JPopupMenu;
import javax.swing.JTextField;
import javax.swing.KeyStroke;
import javax.swing.UIManager;
import net.miginfocom.swing.MigLayout;

/**
 * A date typed as text (2026-11-26 or 11/26/2026, checked by {@link SaleTextParser} when the sale is
 * saved) with a calendar button beside it; Alt+Down opens the calendar from the keyboard.
 */
final class DateField extends JPanel {

    private final JTextField text = new JTextField(10);
    private final JButton calendarButton = new JButton(Look.calendar());
    private JPopupMenu popup;

    DateField() {
        super(new MigLayout("insets 0, gap 4", "[grow,fill][]", "[]"));
        text.setName("date");
        text.putClientProperty("JTextField.placeholderText", "2026-11-26");
        calendarButton.setName("dateButton");
        calendarButton.setToolTipText("Pick the date from a calendar (Alt+Down)");
        calendarButton.setFocusable(false);
        calendarButton.addActionListener(event -> showCalendar());
        text.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_DOWN, InputEvent.ALT_DOWN_MASK), "showCalendar");
        text.getActionMap().put("showCalendar", new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                showCalendar();
            }
        });
        add(text);
        add(calendarButton);
    }

    JTextField textField() {
        return text;
    }

    String getText() {
        return text.getText();
    }

    void setDate(LocalDate date) {
        text.setText(date == null ? "" : date.toString());
    }

    private void showCalendar() {
        LocalDate current = SaleTextParser.parseDate(text.getText(), new ArrayList<>());
        CalendarPanel calendar = new CalendarPanel(themedSettings());
        calendar.setName("calendar");
        calendar.setSelectedDate(current != null ? current : LocalDate.now());
        calendar.addCalendarListener(new CalendarListener() {
            @Override
            public void selectedDateChanged(CalendarSelectionEvent event) {
                if (event.getNewDate() != null && !event.isDuplicate()) {
                    setDate(event.getNewDate());
                }
                popup.setVisible(false);
                text.requestFocusInWindow();
            }

            @Override
            public void yearMonthChanged(YearMonthChangeEvent event) {
                // the clerk is browsing; nothing chosen yet
            }
        });
        popup = new JPopupMenu();
        popup.add(calendar);
        popup.show(this, 0, getHeight());
        calendar.requestFocusInWindow();
    }

    /** LGoodDatePicker paints its own colours; these follow the current light or dark theme. */
    private static DatePickerSettings themedSettings() {
        DatePickerSettings settings = new DatePickerSettings(Locale.getDefault());
        settings.setFirstDayOfWeek(DayOfWeek.MONDAY);
        Color background = color("Panel.background", Color.WHITE);
        Color field = color("TextField.background", Color.WHITE);
        Color foreground = color("Label.foreground", Color.BLACK);
        Color selection = color("Component.accentColor", color("List.selectionBackground", Color.BLUE));
        Color hover = color("Button.hoverBackground", background);
        settings.setColor(DateArea.BackgroundOverallCalendarPanel, background);
        settings.setColor(DateArea.BackgroundMonthAndYearMenuLabels, background);
        settings.setColor(DateArea.BackgroundMonthAndYearNavigationButtons, background);
        settings.setColor(DateArea.BackgroundTodayLabel, background);
        settings.setColor(DateArea.BackgroundClearLabel, background);
        settings.setColor(DateArea.BackgroundTopLeftLabelAboveWeekNumbers, background);
        settings.setColor(DateArea.BackgroundCalendarPanelLabelsOnHover, hover);
        settings.setColor(DateArea.CalendarBackgroundNormalDates, field);
        settings.setColor(DateArea.CalendarBackgroundSelectedDate, selection);
        settings.setColor(DateArea.CalendarBorderSelectedDate, selection);
        settings.setColor(DateArea.CalendarTextNormalDates, foreground);
        settings.setColor(DateArea.CalendarTextWeekdays, foreground);
        settings.setColor(DateArea.CalendarTextWeekNumbers, foreground);
        settings.setColor(DateArea.TextMonthAndYearMenuLabels, foreground);
        settings.setColor(DateArea.TextMonthAndYearNavigationButtons, foreground);
        settings.setColor(DateArea.TextTodayLabel, foreground);
        settings.setColor(DateArea.TextClearLabel, foreground);
        settings.setColor(DateArea.TextCalendarPanelLabelsOnHover, foreground);
        settings.setColorBackgroundWeekdayLabels(color("TableHeader.background", background), true);
        settings.setVisibleClearButton(false);
        return settings;
    }

    private static Color color(String key, Color fallback) {
        Color color = UIManager.getColor(key);
        return color != null ? new Color(color.getRGB(), true) : fallback;
    }

    @Override
    public void setEnabled(boolean enabled) {
        super.setEnabled(enabled);
        text.setEnabled(enabled);
        calendarButton.setEnabled(enabled);
    }

    /** Marks or unmarks the text as wrong (FlatLaf red outline). */
    void setError(boolean error) {
        text.putClientProperty("JComponent.outline", error ? "error" : null);
    }

    JComponent focusTarget() {
        return text;
    }
}
