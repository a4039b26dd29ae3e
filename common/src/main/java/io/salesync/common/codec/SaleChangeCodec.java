package io.salesync.common.codec;

import static io.salesync.common.codec.JsonFields.bool;
import static io.salesync.common.codec.JsonFields.date;
import static io.salesync.common.codec.JsonFields.firstLine;
import static io.salesync.common.codec.JsonFields.instant;
import static io.salesync.common.codec.JsonFields.integer;
import static io.salesync.common.codec.JsonFields.longValue;
import static io.salesync.common.codec.JsonFields.money;
import static io.salesync.common.codec.JsonFields.op;
import static io.salesync.common.codec.JsonFields.quoted;
import static io.salesync.common.codec.JsonFields.text;
import static io.salesync.common.codec.JsonFields.uuid;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesync.common.db.SaleChecksum;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.BranchCommand;
import io.salesync.common.event.BranchMessage;
import io.salesync.common.event.ChangeOp;
import io.salesync.common.event.ResyncMarker;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleValidator;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

/**
 * JSON encoding of the messages between branches and head office ({@link SaleChange},
 * {@link BranchCheckpoint}, {@link ResyncMarker}, {@link BranchCommand}), schema version {@value #SCHEMA_VERSION}.
 *
 * <p>Money travels as decimal strings ({@code "12.50"}) so that no reader ever goes through
 * floating point. Decoding is strict about what it needs and says exactly what is missing or wrong;
 * unknown extra fields are ignored so that a newer branch can add information. Nothing in a message
 * can name a Java type: the body is plain JSON read into a tree.
 *
 * <p>Every value is bounded where it is decoded, by what the head office's columns hold and what a
 * branch can produce: decimals in plain notation with a bounded number of digits, sequence numbers
 * up to {@link BranchMessage#MAX_SEQ}, versions and checkpoint figures up to their message's own
 * sequence number, checkpoint triggers from a fixed list. A value that passes can therefore be
 * stored, and no sum or counter made of such values can overflow (docs/protocol.md, Limits).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SaleChangeCodec {

    /** The schema version this codec writes and the only one it reads. */
    public static final int SCHEMA_VERSION = 1;

    /**
     * Bodies larger than this, 16 KiB, are refused before parsing; a consumer can drop a larger body
     * on arrival by the same number. A sale change is about 450 bytes; the largest a branch can write,
     * with a region and a product of 4-byte characters only (each written as two 6-byte escapes), 2.7 KB.
     */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    /** Digits of a checkpoint's checksum: those of its head-office column, DECIMAL(30,0). */
    static final int MAX_CHECKSUM_DIGITS = 30;

    /** The AMQP content type of every message. */
    public static final String CONTENT_TYPE = "application/json";

    /** The range of a MySQL TIMESTAMP, where the head office records when a branch made a change. */
    static final Instant EARLIEST = Instant.parse("1970-01-02T00:00:00Z");

    static final Instant LATEST = Instant.parse("2038-01-18T00:00:00Z");

    private final ObjectMapper mapper;

    public SaleChangeCodec() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(4096)
                        .maxNestingDepth(8)
                        .maxNumberLength(40)
                        .build())
                .build();
        // One JSON value per body: "{...} garbage" or two objects back to back are refused.
        this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Encodes a change as UTF-8 JSON. */
    public byte[] encode(SaleChange change) {
        ObjectNode root = header(change);
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
        return write(root, "change " + change.messageId());
    }

    /** Encodes a checkpoint as UTF-8 JSON. */
    public byte[] encode(BranchCheckpoint checkpoint) {
        ObjectNode root = header(checkpoint);
        root.put("trigger", checkpoint.trigger());
        root.put("rows", checkpoint.figures().rows());
        root.put("liveRows", checkpoint.figures().liveRows());
        root.put("checksum", checkpoint.figures().checksum().toPlainString());
        return write(root, checkpoint.messageId());
    }

    /** Encodes a resync marker as UTF-8 JSON. */
    public byte[] encode(ResyncMarker marker) {
        ObjectNode root = header(marker);
        root.put("resyncId", marker.resyncId().toString());
        root.put("phase", marker.phase().wireName());
        root.put("rows", marker.rows());
        return write(root, marker.messageId());
    }

    /** Encodes any branch message. */
    public byte[] encode(BranchMessage message) {
        if (message instanceof SaleChange change) {
            return encode(change);
        }
        if (message instanceof BranchCheckpoint checkpoint) {
            return encode(checkpoint);
        }
        return encode((ResyncMarker) message);
    }

    /** Encodes a head-office request to a branch as UTF-8 JSON. */
    public byte[] encode(BranchCommand command) {
        ObjectNode root = mapper.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("type", BranchCommand.MESSAGE_TYPE);
        root.put("branchId", command.branchId());
        root.put("action", command.action().wireName());
        root.put("requestId", command.requestId().toString());
        root.put("requestedAt", command.requestedAt().toString());
        root.put("requestedBy", command.requestedBy());
        if (command.action() == BranchCommand.Action.RESEND) {
            root.put("fromSeq", command.fromSeq());
        }
        return write(root, "command " + command.requestId());
    }

    /**
     * Decodes a sale change. Structural checks and the bounds of each value only: the sale's
     * business rules are {@link io.salesync.common.sale.SaleValidator#problemsOf(Sale)}.
     *
     * @throws MessageFormatException naming the first field that is missing, of the wrong type or
     *                                out of bounds, or when the body is another kind of message
     */
    public SaleChange decode(byte[] body) throws MessageFormatException {
        if (decodeMessage(body) instanceof SaleChange change) {
            return change;
        }
        throw new MessageFormatException("not a " + SaleChange.MESSAGE_TYPE + " message");
    }

    /**
     * Decodes any message a branch sends: a sale change, a checkpoint or a resync marker, told
     * apart by the body's {@code type} field.
     *
     * @throws MessageFormatException naming the first field that is missing, of the wrong type or out of bounds
     */
    public BranchMessage decodeMessage(byte[] body) throws MessageFormatException {
        JsonNode root = parse(body);
        String type = text(root, "type");
        String branchId = branchId(root);
        long seq = seq(root);
        Instant occurredAt = instant(root, "occurredAt");
        if (occurredAt.isBefore(EARLIEST) || occurredAt.isAfter(LATEST)) {
            throw new MessageFormatException(
                    "field 'occurredAt' is " + occurredAt + ", outside the times the head office" + " can store ("
                            + EARLIEST + " to " + LATEST + "): is the branch's clock wrong?");
        }
        return switch (type) {
            case SaleChange.MESSAGE_TYPE -> saleChange(root, branchId, seq, occurredAt);
            case BranchCheckpoint.MESSAGE_TYPE ->
                new BranchCheckpoint(branchId, seq, occurredAt, figures(root, seq), trigger(root));
            case ResyncMarker.MESSAGE_TYPE ->
                new ResyncMarker(
                        branchId,
                        seq,
                        occurredAt,
                        uuid(root, "resyncId"),
                        phase(text(root, "phase")),
                        upTo(root, "rows", seq, "the marker's seq"));
            default -> throw new MessageFormatException("unknown message type " + quoted(type));
        };
    }

    /** Decodes a head-office request sent to a branch's control queue. */
    public BranchCommand decodeCommand(byte[] body) throws MessageFormatException {
        JsonNode root = parse(body);
        String type = text(root, "type");
        if (!BranchCommand.MESSAGE_TYPE.equals(type)) {
            throw new MessageFormatException("unknown message type '" + type + "'");
        }
        String action = text(root, "action");
        BranchCommand.Action parsed = null;
        for (BranchCommand.Action candidate : BranchCommand.Action.values()) {
            if (candidate.wireName().equals(action)) {
                parsed = candidate;
            }
        }
        if (parsed == null) {
            throw new MessageFormatException(
                    "field 'action' must be 'checkpoint', 'resync' or 'resend', was " + JsonFields.quoted(action));
        }
        long fromSeq = 0;
        if (parsed == BranchCommand.Action.RESEND) {
            fromSeq = longValue(root, "fromSeq");
            if (fromSeq < 1 || fromSeq > BranchMessage.MAX_SEQ) {
                throw new MessageFormatException(
                        "field 'fromSeq' must be from 1 to " + BranchMessage.MAX_SEQ + ", was " + fromSeq);
            }
        }
        return new BranchCommand(
                text(root, "branchId"),
                parsed,
                uuid(root, "requestId"),
                instant(root, "requestedAt"),
                text(root, "requestedBy"),
                fromSeq);
    }

    JsonNode parse(byte[] body) throws MessageFormatException {
        if (body == null || body.length == 0) {
            throw new MessageFormatException("empty body");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new MessageFormatException(
                    "body of " + body.length + " bytes exceeds the limit of " + MAX_BODY_BYTES);
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
            throw new MessageFormatException(
                    "unsupported schemaVersion " + version + " (this reader knows " + SCHEMA_VERSION + ")");
        }
        return root;
    }

    private static SaleChange saleChange(JsonNode root, String branchId, long seq, Instant occurredAt)
            throws MessageFormatException {
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
                money(sale, "sale.cost"),
                money(sale, "sale.amt"),
                money(sale, "sale.tax"),
                money(sale, "sale.total"),
                version(sale, seq),
                bool(sale, "sale.deleted"));
        if ((op == ChangeOp.DELETE) != decoded.deleted()) {
            throw new MessageFormatException(
                    "op '" + op.name().toLowerCase(Locale.ROOT) + "' contradicts sale.deleted=" + decoded.deleted());
        }
        return new SaleChange(branchId, seq, occurredAt, op, decoded);
    }

    static String branchId(JsonNode root) throws MessageFormatException {
        String branchId = text(root, "branchId");
        if (!SaleValidator.isValidBranchId(branchId)) {
            throw new MessageFormatException(
                    "field 'branchId' must be 1 to 32 of a-z, 0-9, '-' and '_', starting with a"
                            + " letter or digit, was " + quoted(branchId));
        }
        return branchId;
    }

    /** From 1 to {@link BranchMessage#MAX_SEQ}, so that no arithmetic on sequence numbers can overflow. */
    private static long seq(JsonNode root) throws MessageFormatException {
        long seq = longValue(root, "seq");
        if (seq < 1) {
            throw new MessageFormatException("field 'seq' must be 1 or more, was " + seq);
        }
        if (seq > BranchMessage.MAX_SEQ) {
            throw new MessageFormatException("field 'seq' must be at most " + BranchMessage.MAX_SEQ
                    + " (the protocol's limit on a branch's sequence numbers), was " + seq);
        }
        return seq;
    }

    /**
     * From 1 to the change's own sequence number: a sale's versions are made one by one, each by a
     * change that takes a new, higher sequence number (a resend keeps the version and takes a new
     * number too), so version n travels with a number of n or more.
     */
    private static long version(JsonNode sale, long seq) throws MessageFormatException {
        long version = longValue(sale, "sale.version");
        if (version < 1) {
            throw new MessageFormatException("field 'sale.version' must be 1 or more, was " + version);
        }
        if (version > seq) {
            throw new MessageFormatException("field 'sale.version' must be at most the change's seq " + seq + ", was "
                    + version + ": each version of a sale is made by a change with a sequence number of its own");
        }
        return version;
    }

    /**
     * A checkpoint's figures: 0 &lt;= liveRows &lt;= rows &lt;= seq (each sale the branch holds was
     * made by a change numbered below the checkpoint) and 0 &lt;= checksum &lt;= rows x
     * (2<sup>32</sup> - 1) (a sum of one CRC32 per row).
     */
    private static SaleChecksum.Figures figures(JsonNode root, long seq) throws MessageFormatException {
        long rows = upTo(root, "rows", seq, "the checkpoint's seq");
        long liveRows = upTo(root, "liveRows", rows, "rows");
        BigDecimal checksum = JsonFields.wholeNumber(root, "checksum", MAX_CHECKSUM_DIGITS, "2583340512367");
        BigDecimal most = BigDecimal.valueOf(rows).multiply(BigDecimal.valueOf(SaleChecksum.MAX_CRC32));
        if (checksum.compareTo(most) > 0) {
            throw new MessageFormatException("field 'checksum' must be at most rows x (2^32 - 1) = "
                    + most.toPlainString() + " (a sum of one CRC32 per row), was " + checksum.toPlainString());
        }
        return new SaleChecksum.Figures(rows, liveRows, checksum);
    }

    /** A count from 0 to {@code most}, which is the figure named {@code mostName}. */
    private static long upTo(JsonNode node, String path, long most, String mostName) throws MessageFormatException {
        long value = longValue(node, path);
        if (value < 0 || value > most) {
            throw new MessageFormatException(
                    "field '" + path + "' must be from 0 to " + mostName + " (" + most + "), was " + value);
        }
        return value;
    }

    private static String trigger(JsonNode root) throws MessageFormatException {
        String trigger = text(root, "trigger");
        if (!BranchCheckpoint.TRIGGERS.contains(trigger)) {
            throw new MessageFormatException("field 'trigger' must be one of "
                    + String.join(", ", BranchCheckpoint.TRIGGERS) + ", was " + quoted(trigger));
        }
        return trigger;
    }

    private static ResyncMarker.Phase phase(String value) throws MessageFormatException {
        for (ResyncMarker.Phase phase : ResyncMarker.Phase.values()) {
            if (phase.wireName().equals(value)) {
                return phase;
            }
        }
        throw new MessageFormatException("field 'phase' must be 'started' or 'finished', was " + quoted(value));
    }

    private ObjectNode header(BranchMessage message) {
        ObjectNode root = mapper.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("type", message.messageType());
        root.put("branchId", message.branchId());
        root.put("seq", message.seq());
        root.put("occurredAt", message.occurredAt().toString());
        return root;
    }

    byte[] write(ObjectNode root, String what) {
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + what, e);
        }
    }
}
