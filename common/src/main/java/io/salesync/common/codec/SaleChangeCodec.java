package io.salesync.common.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesync.common.event.ChangeOp;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

/**
 * JSON encoding of {@link SaleChange} messages, schema version {@value #SCHEMA_VERSION}.
 *
 * <p>Money travels as decimal strings ({@code "12.50"}) so that no reader ever goes through
 * floating point. Decoding is strict about what it needs and says exactly what is missing or wrong;
 * unknown extra fields are ignored so that a newer branch can add information. Nothing in a message
 * can name a Java type: the body is plain JSON read into a tree.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SaleChangeCodec {

    /** The schema version this codec writes and the only one it reads. */
    public static final int SCHEMA_VERSION = 1;

    /** Bodies larger than this are refused before parsing. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** The AMQP content type of every message. */
    public static final String CONTENT_TYPE = "application/json";

    private final ObjectMapper mapper;

    public SaleChangeCodec() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(4096)
                        .maxNestingDepth(8)
                        .maxNumberLength(40)
                        .build())
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    /** Encodes a change as UTF-8 JSON. */
    public byte[] encode(SaleChange change) {
        ObjectNode root = mapper.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("type", SaleChange.MESSAGE_TYPE);
        root.put("branchId", change.branchId());
        root.put("seq", change.seq());
        root.put("occurredAt", change.occurredAt().toString());
        root.put("op", change.op().name().toLowerCase(Locale.ROOT));
        Sale sale = change.sale();
        ObjectNode body = root.putObject("sale");
        body.put("id", sale.id().toString());
        body.put("version", sale.version());
        body.put("deleted", sale.deleted());
        body.put("date", sale.date().toString());
        body.put("region", sale.region());
        body.put("product", sale.product());
        body.put("qty", sale.qty());
        body.put("cost", sale.cost().toPlainString());
        body.put("amt", sale.amt().toPlainString());
        body.put("tax", sale.tax().toPlainString());
        body.put("total", sale.total().toPlainString());
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode change " + change.messageId(), e);
        }
    }

    /**
     * Decodes a message body. Structural checks only: the sale's business rules are
     * {@link io.salesync.common.sale.SaleValidator#problemsOf(Sale)}.
     *
     * @throws MessageFormatException naming the first field that is missing or of the wrong type
     */
    public SaleChange decode(byte[] body) throws MessageFormatException {
        if (body == null || body.length == 0) {
            throw new MessageFormatException("empty body");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new MessageFormatException("body of " + body.length + " bytes exceeds the limit of " + MAX_BODY_BYTES);
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw new MessageFormatException("not valid JSON: " + firstLine(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new MessageFormatException("body is not a JSON object");
        }
        int version = integer(root, "schemaVersion");
        if (version != SCHEMA_VERSION) {
            throw new MessageFormatException("unsupported schemaVersion " + version + " (this reader knows " + SCHEMA_VERSION + ")");
        }
        String type = text(root, "type");
        if (!SaleChange.MESSAGE_TYPE.equals(type)) {
            throw new MessageFormatException("unknown message type '" + type + "'");
        }
        String branchId = text(root, "branchId");
        long seq = longValue(root, "seq");
        if (seq < 1) {
            throw new MessageFormatException("field 'seq' must be 1 or more, was " + seq);
        }
        Instant occurredAt = instant(root, "occurredAt");
        ChangeOp op = op(text(root, "op"));
        JsonNode sale = root.get("sale");
        if (sale == null || !sale.isObject()) {
            throw new MessageFormatException("missing object field 'sale'");
        }
        Sale decoded = new Sale(
                uuid(sale, "sale.id"),
                branchId,
                date(sale, "sale.date"),
                text(sale, "sale.region"),
                text(sale, "sale.product"),
                integer(sale, "sale.qty"),
                decimal(sale, "sale.cost"),
                decimal(sale, "sale.amt"),
                decimal(sale, "sale.tax"),
                decimal(sale, "sale.total"),
                longValue(sale, "sale.version"),
                bool(sale, "sale.deleted"));
        if ((op == ChangeOp.DELETE) != decoded.deleted()) {
            throw new MessageFormatException("op '" + op.name().toLowerCase(Locale.ROOT)
                    + "' contradicts sale.deleted=" + decoded.deleted());
        }
        return new SaleChange(branchId, seq, occurredAt, op, decoded);
    }

    private static JsonNode field(JsonNode node, String path) throws MessageFormatException {
        String name = path.substring(path.lastIndexOf('.') + 1);
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new MessageFormatException("missing field '" + path + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String path) throws MessageFormatException {
        JsonNode value = field(node, path);
        if (!value.isTextual()) {
            throw new MessageFormatException("field '" + path + "' must be a string");
        }
        return value.textValue();
    }

    private static int integer(JsonNode node, String path) throws MessageFormatException {
        JsonNode value = field(node, path);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new MessageFormatException("field '" + path + "' must be a whole number within int range");
        }
        return value.intValue();
    }

    private static long longValue(JsonNode node, String path) throws MessageFormatException {
        JsonNode value = field(node, path);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new MessageFormatException("field '" + path + "' must be a whole number within long range");
        }
        return value.longValue();
    }

    private static boolean bool(JsonNode node, String path) throws MessageFormatException {
        JsonNode value = field(node, path);
        if (!value.isBoolean()) {
            throw new MessageFormatException("field '" + path + "' must be true or false");
        }
        return value.booleanValue();
    }

    private static BigDecimal decimal(JsonNode node, String path) throws MessageFormatException {
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

    private static UUID uuid(JsonNode node, String path) throws MessageFormatException {
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

    private static LocalDate date(JsonNode node, String path) throws MessageFormatException {
        String value = text(node, path);
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new MessageFormatException("field '" + path + "' is not an ISO date: '" + value + "'");
        }
    }

    private static Instant instant(JsonNode node, String path) throws MessageFormatException {
        String value = text(node, path);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new MessageFormatException("field '" + path + "' is not an ISO instant: '" + value + "'");
        }
    }

    private static ChangeOp op(String value) throws MessageFormatException {
        for (ChangeOp op : ChangeOp.values()) {
            if (op.name().equalsIgnoreCase(value)) {
                return op;
            }
        }
        throw new MessageFormatException("field 'op' must be 'upsert' or 'delete', was '" + value + "'");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
