package io.salesync.branch.ui;

import io.salesync.common.sale.Money;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the window writes money and times. Money is formatted from BigDecimal, never through double. */
final class Formats {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Formats() {}

    /** {@code 1,234.50}: cents, grouped thousands, the same decimal point the clerk types. */
    static String money(BigDecimal value) {
        if (value == null) {
            return "";
        }
        DecimalFormat format = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.US));
        return format.format(Money.round(value));
    }

    /** {@code 10:42} in the clerk's time zone. */
    static String minutes(Instant at) {
        return MINUTES.format(at.atZone(ZoneId.systemDefault()));
    }

    /** {@code 10:42:07} in the clerk's time zone. */
    static String seconds(Instant at) {
        return SECONDS.format(at.atZone(ZoneId.systemDefault()));
    }
}
