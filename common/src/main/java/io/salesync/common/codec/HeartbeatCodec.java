package io.salesync.common.codec;

import static io.salesync.common.codec.JsonFields.instant;
import static io.salesync.common.codec.JsonFields.integer;
import static io.salesync.common.codec.JsonFields.longValue;
import static io.salesync.common.codec.JsonFields.quoted;
import static io.salesync.common.codec.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesync.common.event.BranchHeartbeat;
import io.salesync.common.event.BranchMessage;
import java.time.Instant;

/**
 * JSON of a {@link BranchHeartbeat}, with the same envelope and limits as every other message of
 * {@link SaleChangeCodec} (schema version, 16 KiB, strict fields) and the heartbeat's own bounds:
 * {@code sentAt} in the range the head office can store, {@code lastSeq} from 0 to
 * {@link BranchMessage#MAX_SEQ}, {@code unconfirmed} from 0 to {@code lastSeq},
 * {@code intervalSeconds} from 1 to {@link BranchHeartbeat#MAX_INTERVAL_SECONDS}
 * (docs/protocol.md, Heartbeat). Immutable and thread-safe.
 */
public final class HeartbeatCodec {

    private final SaleChangeCodec json = new SaleChangeCodec();

    /** Encodes a heartbeat as UTF-8 JSON. */
    public byte[] encode(BranchHeartbeat heartbeat) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("schemaVersion", SaleChangeCodec.SCHEMA_VERSION);
        root.put("type", BranchHeartbeat.MESSAGE_TYPE);
        root.put("branchId", heartbeat.branchId());
        root.put("sentAt", heartbeat.sentAt().toString());
        root.put("lastSeq", heartbeat.lastSeq());
        root.put("unconfirmed", heartbeat.unconfirmed());
        root.put("intervalSeconds", heartbeat.intervalSeconds());
        return json.write(root, heartbeat.messageId());
    }

    /**
     * Decodes a heartbeat.
     *
     * @throws MessageFormatException naming the first field that is missing, of the wrong type or
     *                                out of bounds, or when the body is another kind of message
     */
    public BranchHeartbeat decode(byte[] body) throws MessageFormatException {
        JsonNode root = json.parse(body);
        String type = text(root, "type");
        if (!BranchHeartbeat.MESSAGE_TYPE.equals(type)) {
            throw new MessageFormatException(
                    "not a " + BranchHeartbeat.MESSAGE_TYPE + " message: type " + quoted(type));
        }
        String branchId = SaleChangeCodec.branchId(root);
        Instant sentAt = instant(root, "sentAt");
        if (sentAt.isBefore(SaleChangeCodec.EARLIEST) || sentAt.isAfter(SaleChangeCodec.LATEST)) {
            throw new MessageFormatException("field 'sentAt' is " + sentAt + ", outside the times the head office"
                    + " can store (" + SaleChangeCodec.EARLIEST + " to " + SaleChangeCodec.LATEST
                    + "): is the branch's clock wrong?");
        }
        long lastSeq = bounded(root, "lastSeq", 0, BranchMessage.MAX_SEQ, "the protocol's limit");
        long unconfirmed = bounded(root, "unconfirmed", 0, lastSeq, "lastSeq");
        int interval = integer(root, "intervalSeconds");
        if (interval < 1 || interval > BranchHeartbeat.MAX_INTERVAL_SECONDS) {
            throw new MessageFormatException("field 'intervalSeconds' must be from 1 to "
                    + BranchHeartbeat.MAX_INTERVAL_SECONDS + ", was " + interval);
        }
        return new BranchHeartbeat(branchId, sentAt, lastSeq, unconfirmed, interval);
    }

    private static long bounded(JsonNode root, String path, long least, long most, String mostName)
            throws MessageFormatException {
        long value = longValue(root, path);
        if (value < least || value > most) {
            throw new MessageFormatException(
                    "field '" + path + "' must be from " + least + " to " + mostName + " (" + most + "), was " + value);
        }
        return value;
    }
}
