package io.salesync.headoffice.ui;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How numbers, money and times read in the window. Event thread only (formats are not thread-safe). */
final class Formats {

    private static final DecimalFormat MONEY =
            new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.US));
    private static final DecimalFormat COUNT = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.US));
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Formats() {}

    static String money(BigDecimal amount) {
        return amount == null ? "" : MONEY.format(amount);
    }

    static String count(long count) {
        return COUNT.format(count);
    }

    static String time(Instant instant) {
        return instant == null ? "never" : TIME.format(instant);
    }

    /** "12 s ago", "3 min ago", "never". */
    static String ago(Instant instant, Instant now) {
        if (instant == null) {
            return "never";
        }
        long seconds = Math.max(0, Duration.between(instant, now).getSeconds());
        if (seconds < 60) {
            return seconds + " s ago";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h ago";
        }
        return seconds / 86_400 + " days ago";
    }
}
