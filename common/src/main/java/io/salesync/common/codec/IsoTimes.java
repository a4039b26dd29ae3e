package io.salesync.common.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads the ISO instants and dates our messages carry ({@code 2026-11-26T19:50:01.123Z},
 * {@code 2026-11-26}) without the general {@code DateTimeFormatter} machinery, which was a third of
 * the head office's decoding. Anything not in exactly that shape, or not a real date, goes to
 * {@link Instant#parse} or {@link LocalDate#parse}, so what is accepted, and every error, stays theirs.
 */
final class IsoTimes {

    private IsoTimes() {}

    /** {@link Instant#parse}, fast for {@code uuuu-MM-ddTHH:mm:ss[.f{1,9}]Z}. */
    static Instant instant(String text) {
        int length = text.length();
        if (length >= 20
                && length <= 30
                && shapeOfDate(text)
                && text.charAt(10) == 'T'
                && text.charAt(13) == ':'
                && text.charAt(16) == ':'
                && text.charAt(length - 1) == 'Z'
                && digits(text, 11, 13)
                && digits(text, 14, 16)
                && digits(text, 17, 19)) {
            int nanos = 0;
            if (length > 20) {
                if (text.charAt(19) != '.' || length == 21 || !digits(text, 20, length - 1)) {
                    return Instant.parse(text);
                }
                nanos = number(text, 20, length - 1);
                for (int i = length - 1 - 20; i < 9; i++) {
                    nanos *= 10;
                }
            } else if (text.charAt(19) != 'Z') {
                return Instant.parse(text);
            }
            try {
                LocalDateTime time = LocalDateTime.of(
                        number(text, 0, 4),
                        number(text, 5, 7),
                        number(text, 8, 10),
                        number(text, 11, 13),
                        number(text, 14, 16),
                        number(text, 17, 19),
                        nanos);
                return time.toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e) {
                return Instant.parse(text); // not a real time: its own error, or a form only the parser knows
            }
        }
        return Instant.parse(text);
    }

    /** {@link LocalDate#parse}, fast for {@code uuuu-MM-dd}. */
    static LocalDate date(String text) {
        if (text.length() == 10 && shapeOfDate(text)) {
            try {
                return LocalDate.of(number(text, 0, 4), number(text, 5, 7), number(text, 8, 10));
            } catch (DateTimeException e) {
                return LocalDate.parse(text);
            }
        }
        return LocalDate.parse(text);
    }

    private static boolean shapeOfDate(String text) {
        return text.charAt(4) == '-'
                && text.charAt(7) == '-'
                && digits(text, 0, 4)
                && digits(text, 5, 7)
                && digits(text, 8, 10);
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
