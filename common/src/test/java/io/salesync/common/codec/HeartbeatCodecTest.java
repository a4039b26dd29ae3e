package io.salesync.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesync.common.event.BranchHeartbeat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The heartbeat's JSON: the stored sample, a round trip, and each bound from both sides. */
class HeartbeatCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HeartbeatCodec codec = new HeartbeatCodec();

    private static ObjectNode sample() throws IOException {
        try (InputStream in = HeartbeatCodecTest.class.getResourceAsStream("/samples/branch-heartbeat.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    @Test
    void decodesTheStoredSample() throws Exception {
        BranchHeartbeat heartbeat = codec.decode(JSON.writeValueAsBytes(sample()));

        assertThat(heartbeat).isEqualTo(new BranchHeartbeat("bo1", Instant.parse("2026-03-14T09:30:00Z"), 1302, 2, 30));
        assertThat(heartbeat.messageId())
                .isEqualTo(
                        "bo1:heartbeat:" + Instant.parse("2026-03-14T09:30:00Z").toEpochMilli());
    }

    @Test
    void roundTripsEveryField() throws Exception {
        BranchHeartbeat heartbeat = new BranchHeartbeat("bo-77", Instant.parse("2027-01-02T03:04:05.678Z"), 0, 0, 1);

        byte[] body = codec.encode(heartbeat);

        assertThat(codec.decode(body)).isEqualTo(heartbeat);
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"type\":\"branch.heartbeat\"");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "lastSeq|0",
                "lastSeq|10000000000000",
                "unconfirmed|0",
                "unconfirmed|1302",
                "intervalSeconds|1",
                "intervalSeconds|3600",
                "sentAt|\"1970-01-02T00:00:00Z\"",
                "sentAt|\"2038-01-18T00:00:00Z\"",
                "branchId|\"b2345678901234567890123456789012\"",
            })
    void acceptsTheLastValueOfEachBound(String field, String json) throws Exception {
        ObjectNode root = sample();
        root.put("unconfirmed", 0); // so that lastSeq may go down to 0
        root.set(field, JSON.readTree(json));

        assertThat(codec.decode(JSON.writeValueAsBytes(root))).isNotNull();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "lastSeq|-1|field 'lastSeq' must be from 0",
                "lastSeq|10000000000001|field 'lastSeq' must be from 0 to the protocol's limit",
                "unconfirmed|-1|field 'unconfirmed' must be from 0",
                "unconfirmed|1303|field 'unconfirmed' must be from 0 to lastSeq (1302)",
                "intervalSeconds|0|field 'intervalSeconds' must be from 1 to 3600",
                "intervalSeconds|3601|field 'intervalSeconds' must be from 1 to 3600",
                "intervalSeconds|\"30\"|intervalSeconds",
                "sentAt|\"1970-01-01T23:59:59Z\"|field 'sentAt'",
                "sentAt|\"2038-01-18T00:00:01Z\"|field 'sentAt'",
                "sentAt|\"yesterday\"|sentAt",
                "branchId|\"b23456789012345678901234567890123\"|field 'branchId'",
                "branchId|\"BO1\"|field 'branchId'",
                "type|\"sale.changed\"|not a branch.heartbeat message",
                "schemaVersion|2|unsupported schemaVersion 2",
            })
    void refusesTheFirstValueBeyondEachBound(String field, String json, String reason) throws Exception {
        ObjectNode root = sample();
        root.set(field, JSON.readTree(json));
        byte[] body = JSON.writeValueAsBytes(root);

        assertThatThrownBy(() -> codec.decode(body))
                .isInstanceOf(MessageFormatException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void refusesAMissingFieldByName() throws Exception {
        ObjectNode root = sample();
        root.remove("unconfirmed");
        byte[] body = JSON.writeValueAsBytes(root);

        assertThatThrownBy(() -> codec.decode(body))
                .isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("unconfirmed");
    }

    @Test
    void refusesABodyOverTheLimitUnparsed() {
        byte[] body = new byte[SaleChangeCodec.MAX_BODY_BYTES + 1];

        assertThatThrownBy(() -> codec.decode(body))
                .isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("exceeds the limit");
    }
}
