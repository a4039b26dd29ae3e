package io.salesync.common.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.salesync.common.event.ChangeOp;
import io.salesync.common.sale.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

/** Strict readers of JSON fields: each names the field that is missing or of the wrong type. */
final class JsonFields {

    private JsonFields() {}

    static JsonNode field(JsonNode node, String path) throws MessageFormatException {
        String name = path.substring(path.lastIndexOf('.') + 1);
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new MessageFormatException("missing field '" + path + "'");
        }
        return value;
    }

    static String text(JsonNode node, String path) throws MessageFormatException {
        JsonNode value = field(node, path);
        if (!value.isTextual()) {
            throw new MessageFormatException("field '" + path + "' must be a string");
        }
        return value.textValue();
    }

    static int integer(JsonNode node, String path) throws MessageFormatException {
        JsonNode value = field(node, path);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new MessageFormatException("field '" + path + "' must be a whole number within int range");
        }
        return value.intValue();
    }

    static long longValue(JsonNode node, String path) throws MessageFormatException {
        JsonNode value = field(node, path);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new MessageFormatException("field '" + path + "' must be a whole number within long range");
        }
        return value.longValue();
    }

    static boolean bool(JsonNode node, String path) throws MessageFormatException {
        JsonNode value = field(node, path);
        if (!value.isBoolean()) {
            throw new MessageFormatException("field '" + path + "' must be true or false");
        }
        return value.booleanValue();
    }

    /**
     * A money amount: a decimal string in plain notation of at most {@value Money#MAX_INTEGER_DIGITS}
     * digits before the point and {@value Money#SCALE} after, the shape of the widest money column.
     * Its range and arithmetic are the sale rules' ({@link io.salesync.common.sale.SaleValidator}).
     */
    static BigDecimal money(JsonNode node, String path) throws MessageFormatException {
        JsonNode raw = field(node, path);
        if (!raw.isTextual()) {
            throw new MessageFormatException(
                    "field '" + path + "' must be a decimal string (money travels as text, for example 12.50)");
        }
        return plainDecimal(path, raw.textValue(), true, Money.MAX_INTEGER_DIGITS, Money.SCALE, "12.50");
    }

    /** A whole number of zero or more as a decimal string of at most {@code maxDigits} digits, in plain notation. */
    static BigDecimal wholeNumber(JsonNode node, String path, int maxDigits, String example)
            throws MessageFormatException {
        JsonNode raw = field(node, path);
        if (!raw.isTextual()) {
            throw new MessageFormatException(
                    "field '" + path + "' must be a decimal string, for example \"" + example + "\"");
        }
        return plainDecimal(path, raw.textValue(), false, maxDigits, 0, example);
    }

    /**
     * A decimal string in plain notation only: an optional minus sign (when {@code signed}), 1 to
     * {@code maxIntegerDigits} ASCII digits, then optionally a point and 1 to
     * {@code maxFractionDigits} digits. An exponent ({@code 1E+99999999} is eleven characters whose
     * plain digits fill 100 MB), a plus sign, spaces and digits of other scripts are refused, so the
     * value's size is bounded by its text before any arithmetic or any database driver sees it.
     *
     * @param example a value of the field as the branch writes it, for the refusal's sentence
     */
    private static BigDecimal plainDecimal(
            String path, String value, boolean signed, int maxIntegerDigits, int maxFractionDigits, String example)
            throws MessageFormatException {
        if (!isPlainDecimal(value, signed, maxIntegerDigits, maxFractionDigits)) {
            throw new MessageFormatException("field '" + path + "' must be a decimal string such as \"" + example
                    + "\" (" + plainRule(signed, maxIntegerDigits, maxFractionDigits) + "), was " + quoted(value));
        }
        return new BigDecimal(value);
    }

    private static boolean isPlainDecimal(String value, boolean signed, int maxIntegerDigits, int maxFractionDigits) {
        int length = value.length();
        int i = signed && length > 0 && value.charAt(0) == '-' ? 1 : 0;
        int integerStart = i;
        while (i < length && isAsciiDigit(value.charAt(i))) {
            i++;
        }
        int integerDigits = i - integerStart;
        if (integerDigits < 1 || integerDigits > maxIntegerDigits) {
            return false;
        }
        if (i == length) {
            return true;
        }
        if (value.charAt(i) != '.' || maxFractionDigits == 0) {
            return false;
        }
        int fractionStart = ++i;
        while (i < length && isAsciiDigit(value.charAt(i))) {
            i++;
        }
        int fractionDigits = i - fractionStart;
        return i == length && fractionDigits >= 1 && fractionDigits <= maxFractionDigits;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String plainRule(boolean signed, int maxIntegerDigits, int maxFractionDigits) {
        String digits = maxFractionDigits == 0
                ? "digits only, at most " + maxIntegerDigits
                : "at most " + maxIntegerDigits + " digits before the point and " + maxFractionDigits + " after";
        return signed
                ? "an optional minus sign, " + digits + "; no exponent, plus sign or spaces"
                : digits + "; no sign, " + (maxFractionDigits == 0 ? "point, " : "") + "exponent or spaces";
    }

    /** A value from the message as a refusal quotes it: in quotes, cut after {@value #MAX_QUOTED_CHARS} characters. */
    static String quoted(String value) {
        if (value.length() <= MAX_QUOTED_CHARS) {
            return "'" + value + "'";
        }
        int end = MAX_QUOTED_CHARS - 3;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--; // never half a character
        }
        return "'" + value.substring(0, end) + "...'";
    }

    /** The longest value a refusal quotes whole: a reason stays a readable sentence whatever the message holds. */
    static final int MAX_QUOTED_CHARS = 64;

    static UUID uuid(JsonNode node, String path) throws MessageFormatException {
        String value = text(node, path);
        try {
            UUID id = UUID.fromString(value);
            if (!id.toString().equals(value.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(value);
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new MessageFormatException("field '" + path + "' is not a UUID: " + quoted(value));
        }
    }

    static LocalDate date(JsonNode node, String path) throws MessageFormatException {
        String value = text(node, path);
        try {
            return IsoTimes.date(value);
        } catch (DateTimeParseException e) {
            throw new MessageFormatException("field '" + path + "' is not an ISO date: " + quoted(value));
        }
    }

    static Instant instant(JsonNode node, String path) throws MessageFormatException {
        String value = text(node, path);
        try {
            return IsoTimes.instant(value);
        } catch (DateTimeParseException e) {
            throw new MessageFormatException("field '" + path + "' is not an ISO instant: " + quoted(value));
        }
    }

    static ChangeOp op(String value) throws MessageFormatException {
        for (ChangeOp op : ChangeOp.values()) {
            if (op.name().equalsIgnoreCase(value)) {
                return op;
            }
        }
        throw new MessageFormatException("field 'op' must be 'upsert' or 'delete', was " + quoted(value));
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
