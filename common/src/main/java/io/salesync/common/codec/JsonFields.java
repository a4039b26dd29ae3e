package io.salesync.common.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.salesync.common.event.ChangeOp;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

/** Strict readers of JSON fields: each names the field that is missing or of the wrong type. */
final class JsonFields {

    private JsonFields() {
    }

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

    static BigDecimal decimal(JsonNode node, String path) throws MessageFormatException {
        JsonNode raw = field(node, path);
        if (!raw.isTextual()) {
            throw new MessageFormatException("field '" + path + "' must be a decimal string (money travels as text, for example 12.50)");
        }
        String value = raw.textValue();
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new MessageFormatException("field '" + path + "' must be a decimal string such as \"12.50\", was '" + value + "'");
        }
    }

    static UUID uuid(JsonNode node, String path) throws MessageFormatException {
        String value = text(node, path);
        try {
            UUID id = UUID.fromString(value);
            if (!id.toString().equals(value.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(value);
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new MessageFormatException("field '" + path + "' is not a UUID: '" + value + "'");
        }
    }

    static LocalDate date(JsonNode node, String path) throws MessageFormatException {
        String value = text(node, path);
        try {
            return IsoTimes.date(value);
        } catch (DateTimeParseException e) {
            throw new MessageFormatException("field '" + path + "' is not an ISO date: '" + value + "'");
        }
    }

    static Instant instant(JsonNode node, String path) throws MessageFormatException {
        String value = text(node, path);
        try {
            return IsoTimes.instant(value);
        } catch (DateTimeParseException e) {
            throw new MessageFormatException("field '" + path + "' is not an ISO instant: '" + value + "'");
        }
    }

    static ChangeOp op(String value) throws MessageFormatException {
        for (ChangeOp op : ChangeOp.values()) {
            if (op.name().equalsIgnoreCase(value)) {
                return op;
            }
        }
        throw new MessageFormatException("field 'op' must be 'upsert' or 'delete', was '" + value + "'");
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
