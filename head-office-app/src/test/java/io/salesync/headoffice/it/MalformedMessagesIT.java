package io.salesync.headoffice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.salesync.common.amqp.MessageHeaders;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.ResyncMarker;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.common.testing.BrokerUsers;
import io.salesync.common.testing.Sandbox;
import io.salesync.common.testing.ShippedPermissions;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.service.IncomingChange;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input from an authenticated branch: a real broker user named after the branch publishes, with
 * its own routing key and a {@code user_id} the broker validates, messages that are malformed or
 * invalid in every way we could think of. Each one must end in the head office's dead-letter queue
 * and in {@code dead_letter_log} with its reason, the consumer must keep going (the good sale sent
 * right after each bad message is applied), and the aggregate must hold exactly the good sales.
 *
 * <p>Every bad message is a valid message with one thing wrong (the template is checked to be
 * accepted), and that valid message would replace the first good sale with a newer version: had a
 * bad message been applied, the row-by-row comparison would show it. One head office serves all
 * cases, which run in order and share its state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedMessagesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TaxRate RATE = TaxRate.of("0.08");
    private static final LocalDate DAY = LocalDate.of(2026, 11, 26);
    private static final String VALID_UUID = "3f2b8c1e-7d4a-4e5b-9c6d-0a1b2c3d4e5f";
    private static final String PLACEHOLDER = "@@value@@";
    /** The start of the reason for a cost that is not plain decimal text of at most 12 + 2 digits. */
    private static final String MONEY_RULE =
            "field 'sale.cost' must be a decimal string such as \"12.50\" (an optional minus"
                    + " sign, at most 12 digits before the point and 2 after; no exponent, plus sign or spaces";

    /** What a case sends: bytes made from a valid message (given as a fresh tree the case may change). */
    @FunctionalInterface
    interface Body {
        byte[] from(ObjectNode valid) throws IOException;
    }

    private final SaleChangeCodec codec = new SaleChangeCodec();
    private final List<Sale> goodSales = new ArrayList<>();
    private final AtomicBoolean returned = new AtomicBoolean();
    private Sandbox sandbox;
    private BrokerUsers users;
    private HeadOffice headOffice;
    private String branch;
    private Connection branchConnection;
    private Channel branchChannel;
    private Channel inspector;
    private DataSource aggregate;
    private long seq;
    private int cases;

    @BeforeAll
    void startHeadOfficeAndConnectAsABranch() throws Exception {
        sandbox = new Sandbox();
        users = new BrokerUsers(sandbox.amqp());
        branch = sandbox.prefix() + "-bo1";
        users.create(branch, "pw-" + branch);
        users.permit(branch, ShippedPermissions.branch(sandbox.prefix(), branch));

        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(sandbox.database("ho"));
        values.putAll(sandbox.broker());
        values.put(HeadOfficeConfig.BATCH_SIZE, "50");
        values.put(HeadOfficeConfig.PREFETCH, "100");
        headOffice = HeadOffice.open(HeadOfficeConfig.from(ConfigSource.of(values)), status -> {})
                .startConsumer();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> headOffice.consumer().status().brokerConnected());

        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(sandbox.amqp().uri());
        factory.setUsername(branch);
        factory.setPassword("pw-" + branch);
        branchConnection = factory.newConnection("malformed-messages-" + branch);
        branchChannel = branchConnection.createChannel();
        branchChannel.confirmSelect();
        branchChannel.addReturnListener(message -> returned.set(true));
        inspector = sandbox.channel();
        aggregate = sandbox.dataSource("ho");

        sendGoodSaleAndWaitUntilApplied();
        assertThat(new IncomingChange(codec, sandbox.amqp().user())
                        .check(
                                JSON.writeValueAsBytes(template()),
                                Topology.routingKey(branch),
                                SaleChange.MESSAGE_TYPE,
                                branch)
                        .reason())
                .as("the template every bad message is made from is itself accepted")
                .isNull();
    }

    @AfterAll
    void stop() throws Exception {
        if (branchConnection != null) {
            branchConnection.close();
        }
        if (headOffice != null) {
            headOffice.close();
        }
        if (users != null) {
            users.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    static Stream<Arguments> badMessages() {
        return Stream.of(
                // not JSON
                raw("plain text", "{not json", "not valid JSON"),
                raw("empty body", "", "empty body"),
                raw("XML", "<sale><qty>3</qty></sale>", "not valid JSON"),
                bytes("binary noise", new byte[] {0, (byte) 0xff, (byte) 0xfe, 7, 1}, "not valid JSON"),
                bytes(
                        "Java serialization stream",
                        new byte[] {(byte) 0xac, (byte) 0xed, 0, 5, 0x73, 0x72},
                        "not valid JSON"),
                message(
                        "valid message cut in half",
                        valid -> Arrays.copyOf(JSON.writeValueAsBytes(valid), JSON.writeValueAsBytes(valid).length / 2),
                        "not valid JSON"),
                message(
                        "Latin-1 text, not UTF-8",
                        valid -> JSON.writeValueAsString(valid)
                                .replace("Replaced", "Caf\u00e9")
                                .getBytes(StandardCharsets.ISO_8859_1),
                        "not valid JSON"),
                message(
                        "JSON with a comment",
                        valid -> ("/* hi */" + JSON.writeValueAsString(valid)).getBytes(StandardCharsets.UTF_8),
                        "not valid JSON"),
                message(
                        "single-quoted JSON",
                        valid -> JSON.writeValueAsString(valid)
                                .replace('"', '\'')
                                .getBytes(StandardCharsets.UTF_8),
                        "not valid JSON"),
                with("NaN as qty", "sale.qty", "NaN", "not valid JSON"),
                // JSON of the wrong shape
                raw("array", "[]", "body is not a JSON object"),
                message(
                        "the message inside an array",
                        valid -> ("[" + JSON.writeValueAsString(valid) + "]").getBytes(StandardCharsets.UTF_8),
                        "body is not a JSON object"),
                raw("string", "\"sale.changed\"", "body is not a JSON object"),
                raw("number", "42", "body is not a JSON object"),
                raw("true", "true", "body is not a JSON object"),
                raw("null", "null", "body is not a JSON object"),
                with("sale is an array", "sale", "[]", "missing object field 'sale'"),
                with("sale is a string", "sale", "\"3 x Widget\"", "missing object field 'sale'"),
                edited(
                        "sale nested one level too deep",
                        valid -> valid.set("sale", JSON.createObjectNode().set("sale", valid.get("sale"))),
                        "missing field 'sale.id'"),
                edited(
                        "message wrapped in an envelope",
                        valid -> {
                            ObjectNode copy = valid.deepCopy();
                            valid.removeAll();
                            valid.set("message", copy);
                        },
                        "missing field 'schemaVersion'"),
                with("nesting deeper than eight", "extra", "[[[[[[[[[[1]]]]]]]]]]", "nesting depth"),
                // wrong types
                with(
                        "schemaVersion as a string",
                        "schemaVersion",
                        "\"1\"",
                        "field 'schemaVersion' must be a whole number"),
                with(
                        "schemaVersion as a fraction",
                        "schemaVersion",
                        "1.0",
                        "field 'schemaVersion' must be a whole number"),
                with("type as a number", "type", "1", "field 'type' must be a string"),
                with("branchId as an array", "branchId", "[\"bo1\"]", "field 'branchId' must be a string"),
                with("seq as a string", "seq", "\"42\"", "field 'seq' must be a whole number within long range"),
                with("seq as a fraction", "seq", "4.2", "field 'seq' must be a whole number within long range"),
                with("occurredAt as epoch seconds", "occurredAt", "1764148530", "field 'occurredAt' must be a string"),
                with("op as a boolean", "op", "true", "field 'op' must be a string"),
                with("sale.id as a number", "sale.id", "42", "field 'sale.id' must be a string"),
                with(
                        "sale.version as a string",
                        "sale.version",
                        "\"2\"",
                        "field 'sale.version' must be a whole number"),
                with(
                        "sale.deleted as a string",
                        "sale.deleted",
                        "\"false\"",
                        "field 'sale.deleted' must be true or false"),
                with("sale.deleted as 0", "sale.deleted", "0", "field 'sale.deleted' must be true or false"),
                with("sale.date as a number", "sale.date", "20261126", "field 'sale.date' must be a string"),
                with("sale.region as a number", "sale.region", "7", "field 'sale.region' must be a string"),
                with(
                        "sale.product as an object",
                        "sale.product",
                        "{\"name\":\"Widget\"}",
                        "field 'sale.product' must be a string"),
                with(
                        "sale.qty as a string",
                        "sale.qty",
                        "\"3\"",
                        "field 'sale.qty' must be a whole number within int range"),
                with(
                        "sale.qty as a fraction",
                        "sale.qty",
                        "2.5",
                        "field 'sale.qty' must be a whole number within int range"),
                with(
                        "sale.qty as a boolean",
                        "sale.qty",
                        "true",
                        "field 'sale.qty' must be a whole number within int range"),
                with("sale.cost as a JSON number", "sale.cost", "12.5", "field 'sale.cost' must be a decimal string"),
                with("sale.amt as a JSON number", "sale.amt", "37.5", "field 'sale.amt' must be a decimal string"),
                with(
                        "sale.total as words",
                        "sale.total",
                        "\"forty\"",
                        "field 'sale.total' must be a decimal string such as"),
                with(
                        "sale.cost with a decimal comma",
                        "sale.cost",
                        "\"12,50\"",
                        "field 'sale.cost' must be a decimal string such as"),
                with(
                        "sale.tax as an empty string",
                        "sale.tax",
                        "\"\"",
                        "field 'sale.tax' must be a decimal string such as"),
                // each required field missing
                without("schemaVersion", "missing field 'schemaVersion'"),
                without("type", "missing field 'type'"),
                without("branchId", "missing field 'branchId'"),
                without("seq", "missing field 'seq'"),
                without("occurredAt", "missing field 'occurredAt'"),
                without("op", "missing field 'op'"),
                without("sale", "missing object field 'sale'"),
                without("sale.id", "missing field 'sale.id'"),
                without("sale.version", "missing field 'sale.version'"),
                without("sale.deleted", "missing field 'sale.deleted'"),
                without("sale.date", "missing field 'sale.date'"),
                without("sale.region", "missing field 'sale.region'"),
                without("sale.product", "missing field 'sale.product'"),
                without("sale.qty", "missing field 'sale.qty'"),
                without("sale.cost", "missing field 'sale.cost'"),
                without("sale.amt", "missing field 'sale.amt'"),
                without("sale.tax", "missing field 'sale.tax'"),
                without("sale.total", "missing field 'sale.total'"),
                with("null for a required field", "sale.qty", "null", "missing field 'sale.qty'"),
                // schema version and message type
                with("schemaVersion 2", "schemaVersion", "2", "unsupported schemaVersion 2"),
                with("schemaVersion 0", "schemaVersion", "0", "unsupported schemaVersion 0"),
                with("schemaVersion -1", "schemaVersion", "-1", "unsupported schemaVersion -1"),
                with(
                        "schemaVersion beyond int",
                        "schemaVersion",
                        "3000000000",
                        "field 'schemaVersion' must be a whole number within int range"),
                with("body type sale.refunded", "type", "\"sale.refunded\"", "unknown message type 'sale.refunded'"),
                with("body type in upper case", "type", "\"SALE.CHANGED\"", "unknown message type 'SALE.CHANGED'"),
                typed("type property sale.refunded", "sale.refunded", "unknown message type property 'sale.refunded'"),
                typed(
                        "body type sale.refunded, no type property",
                        null,
                        valid -> valid.put("type", "sale.refunded"),
                        "unknown message type 'sale.refunded'"),
                with("op merge", "op", "\"merge\"", "field 'op' must be 'upsert' or 'delete', was 'merge'"),
                with("op delete on a live sale", "op", "\"delete\"", "op 'delete' contradicts sale.deleted=false"),
                // negative and huge numbers
                with("negative qty", "sale.qty", "-3", "Qty: must be a whole number from 1 to 100000"),
                with("zero qty", "sale.qty", "0", "Qty: must be a whole number from 1 to 100000"),
                with("qty above the maximum", "sale.qty", "100001", "Qty: must be a whole number from 1 to 100000"),
                with(
                        "qty just beyond int",
                        "sale.qty",
                        "2147483648",
                        "field 'sale.qty' must be a whole number within int range"),
                with(
                        "qty beyond long",
                        "sale.qty",
                        "9223372036854775808",
                        "field 'sale.qty' must be a whole number within int range"),
                with(
                        "qty of 40 digits",
                        "sale.qty",
                        "1" + "0".repeat(39),
                        "field 'sale.qty' must be a whole number within int range"),
                with("qty of 45 digits", "sale.qty", "1" + "0".repeat(44), "Number value length"),
                with("qty as 1e400", "sale.qty", "1e400", "field 'sale.qty' must be a whole number within int range"),
                with("negative cost", "sale.cost", "\"-12.50\"", "Cost: cannot be negative"),
                with("cost above the maximum", "sale.cost", "\"1000000.00\"", "Cost: must be at most 999999.99"),
                with("cost of 50 digits", "sale.cost", "\"" + "9".repeat(50) + ".00\"", MONEY_RULE),
                with("cost 1E+400", "sale.cost", "\"1E+400\"", MONEY_RULE),
                with("cost 1E-400", "sale.cost", "\"1E-400\"", MONEY_RULE),
                with("cost 1.25E+1, which is 12.50", "sale.cost", "\"1.25E+1\"", MONEY_RULE + "), was '1.25E+1'"),
                with("cost +12.50", "sale.cost", "\"+12.50\"", MONEY_RULE + "), was '+12.50'"),
                with("cost in full-width digits", "sale.cost", "\"\uFF11\uFF12.\uFF15\uFF10\"", MONEY_RULE),
                with("cost with three decimals", "sale.cost", "\"12.505\"", MONEY_RULE),
                with("negative tax", "sale.tax", "\"-3.00\"", "Tax -3.00 is not between 0 and Amt"),
                with(
                        "amt beyond DECIMAL(14,2)",
                        "sale.amt",
                        "\"1000000000000.00\"",
                        "field 'sale.amt' must be a decimal string such as"),
                with(
                        "total of 41 digits",
                        "sale.total",
                        "\"" + "9".repeat(41) + "\"",
                        "field 'sale.total' must be a decimal string such as"),
                with(
                        "negative amt beyond DECIMAL(14,2)",
                        "sale.amt",
                        "\"-1000000000000.00\"",
                        "field 'sale.amt' must be a decimal string such as"),
                with(
                        "total 1E+999999999",
                        "sale.total",
                        "\"1E+999999999\"",
                        "field 'sale.total' must be a decimal string such as"),
                with("seq 0", "seq", "0", "field 'seq' must be 1 or more, was 0"),
                with("negative seq", "seq", "-5", "field 'seq' must be 1 or more, was -5"),
                with(
                        "seq beyond long",
                        "seq",
                        "9223372036854775808",
                        "field 'seq' must be a whole number within long range"),
                with(
                        "seq above the protocol's maximum",
                        "seq",
                        "10000000000001",
                        "field 'seq' must be at most 10000000000000"),
                with(
                        "seq of the largest long",
                        "seq",
                        "9223372036854775807",
                        "field 'seq' must be at most 10000000000000"),
                with(
                        "version above its change's seq",
                        "sale.version",
                        "10000000000000",
                        "field 'sale.version' must be at most the change's seq"),
                with(
                        "version of the largest long",
                        "sale.version",
                        "9223372036854775807",
                        "field 'sale.version' must be at most the change's seq"),
                with("version 0", "sale.version", "0", "field 'sale.version' must be 1 or more, was 0"),
                with("negative version", "sale.version", "-1", "field 'sale.version' must be 1 or more, was -1"),
                with(
                        "version beyond long",
                        "sale.version",
                        "9223372036854775808",
                        "field 'sale.version' must be a whole number within long range"),
                // over-long and odd strings
                with(
                        "region of 65 characters",
                        "sale.region",
                        text("R".repeat(65)),
                        "Region: must be at most 64 characters"),
                with(
                        "product of 129 characters",
                        "sale.product",
                        text("P".repeat(129)),
                        "Product: must be at most 128 characters"),
                with(
                        "product of 4096 characters",
                        "sale.product",
                        text("P".repeat(4096)),
                        "Product: must be at most 128 characters"),
                with("region of 5 KB", "sale.region", text("R".repeat(5 * 1024)), "String value length"),
                with("product of 5 KB", "sale.product", text("P".repeat(5 * 1024)), "String value length"),
                with("5 KB in an unknown extra field", "sale.note", text("n".repeat(5 * 1024)), "String value length"),
                with("empty region", "sale.region", "\"\"", "Region: is required"),
                with(
                        "region with a line break",
                        "sale.region",
                        text("North\nEast"),
                        "Region: must not contain control characters"),
                with(
                        "product with a NUL",
                        "sale.product",
                        text("Wid\u0000get"),
                        "Product: must not contain control characters"),
                with(
                        "region with surrounding spaces",
                        "sale.region",
                        text(" North "),
                        "Region: must not start or end with spaces"),
                with(
                        "product with half a surrogate pair",
                        "sale.product",
                        "\"Wid\\ud800get\"",
                        "Product: holds a broken character"),
                // size
                message(
                        "body of 16 KiB + 1",
                        valid -> padded(JSON.writeValueAsBytes(valid), SaleChangeCodec.MAX_BODY_BYTES + 1),
                        "exceeds the limit of 16384"),
                message(
                        "body of 1 MiB",
                        valid -> padded(JSON.writeValueAsBytes(valid), 1 << 20),
                        "exceeds the limit of 16384"),
                // identity
                edited(
                        "sale claiming another branch",
                        valid -> valid.put("branchId", "bo2"),
                        "message claims branch 'bo2' but was routed as branch"),
                edited(
                        "sale claiming the head office user",
                        valid -> valid.put("branchId", "guest"),
                        "message claims branch 'guest'"),
                edited(
                        "sale claiming no branch",
                        valid -> valid.put("branchId", ""),
                        "field 'branchId' must be 1 to 32 of a-z"),
                // checkpoints and resync markers
                checkpoint(
                        "checkpoint with a checksum of 100 MB written in 11 characters",
                        c -> c.put("checksum", "1E+99999999"),
                        "field 'checksum' must be a decimal string such as"),
                checkpoint(
                        "checkpoint with a checksum beyond DECIMAL(30,0)",
                        c -> c.put("checksum", "1" + "0".repeat(30)),
                        "field 'checksum' must be a decimal string such as"),
                checkpoint(
                        "checkpoint with a checksum above rows x (2^32 - 1)",
                        c -> c.put("rows", 1).put("liveRows", 1).put("checksum", "4294967296"),
                        "field 'checksum' must be at most rows x (2^32 - 1) = 4294967295"),
                checkpoint(
                        "checkpoint with more rows than its seq",
                        c -> c.put("rows", c.get("seq").asLong() + 1),
                        "field 'rows' must be from 0 to the checkpoint's seq"),
                checkpoint(
                        "checkpoint with more live rows than rows",
                        c -> c.put("liveRows", 2),
                        "field 'liveRows' must be from 0 to rows"),
                checkpoint(
                        "checkpoint with an unknown trigger",
                        c -> c.put("trigger", "t".repeat(4000)),
                        "field 'trigger' must be one of startup, scheduled, requested, resync"),
                resyncMarker(
                        "resync marker with more rows than its seq",
                        m -> m.put("rows", m.get("seq").asLong() + 1),
                        "field 'rows' must be from 0 to the marker's seq"),
                // arithmetic
                with("amt not qty x cost", "sale.amt", "\"99.00\"", "Amt 99.00 is not Qty x Cost"),
                with("total not amt + tax", "sale.total", "\"41.00\"", "Total 41.00 is not Amt + Tax"),
                edited(
                        "tax above amt",
                        valid -> sale(valid).put("tax", "37.51").put("total", "75.01"),
                        "Tax 37.51 is not between 0 and Amt"),
                with(
                        "amt with three decimals",
                        "sale.amt",
                        "\"37.505\"",
                        "field 'sale.amt' must be a decimal string such as"),
                // ids
                with("id not a UUID", "sale.id", "\"not-a-uuid\"", "field 'sale.id' is not a UUID: 'not-a-uuid'"),
                with("empty id", "sale.id", "\"\"", "field 'sale.id' is not a UUID: ''"),
                with("id 1-2-3-4-5", "sale.id", "\"1-2-3-4-5\"", "field 'sale.id' is not a UUID: '1-2-3-4-5'"),
                with("id without dashes", "sale.id", text(VALID_UUID.replace("-", "")), "is not a UUID"),
                with("id in braces", "sale.id", text("{" + VALID_UUID + "}"), "is not a UUID"),
                with("id one digit too long", "sale.id", text(VALID_UUID + "0"), "is not a UUID"),
                with("id of z", "sale.id", "\"zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz\"", "is not a UUID"),
                with("local auto-increment id", "sale.id", "\"1\"", "field 'sale.id' is not a UUID: '1'"),
                // dates
                with(
                        "30 February",
                        "sale.date",
                        "\"2026-02-30\"",
                        "field 'sale.date' is not an ISO date: '2026-02-30'"),
                with("US date", "sale.date", "\"11/26/2026\"", "field 'sale.date' is not an ISO date"),
                with(
                        "date with a time",
                        "sale.date",
                        "\"2026-11-26T10:00:00Z\"",
                        "field 'sale.date' is not an ISO date"),
                with("empty date", "sale.date", "\"\"", "field 'sale.date' is not an ISO date: ''"),
                with(
                        "date before 1970",
                        "sale.date",
                        "\"1969-12-31\"",
                        "Date: must be between 1970-01-01 and 2099-12-31"),
                with(
                        "date after 2099",
                        "sale.date",
                        "\"2100-01-01\"",
                        "Date: must be between 1970-01-01 and 2099-12-31"),
                with("year 10000", "sale.date", "\"+10000-01-01\"", "Date: must be between 1970-01-01 and 2099-12-31"),
                with("occurredAt in words", "occurredAt", "\"yesterday\"", "field 'occurredAt' is not an ISO instant"),
                with(
                        "occurredAt as a date",
                        "occurredAt",
                        "\"2026-11-26\"",
                        "field 'occurredAt' is not an ISO instant"),
                with(
                        "occurredAt without a zone",
                        "occurredAt",
                        "\"2026-11-26T10:00:00\"",
                        "field 'occurredAt' is not an ISO instant"),
                with(
                        "occurredAt in month 13",
                        "occurredAt",
                        "\"2026-13-01T00:00:00Z\"",
                        "field 'occurredAt' is not an ISO instant"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMessages")
    void badMessageIsDeadLetteredWithItsReasonAndTheNextGoodSaleIsApplied(
            String name, String type, Body body, String reason) throws Exception {
        String messageId = "bad-" + (++cases);
        byte[] bad = body.from(template());
        inspector.queuePurge(sandbox.topology().deadLetterQueue());
        long logged = count("SELECT COUNT(*) FROM dead_letter_log");
        long deadLettered = headOffice.consumer().status().deadLettered();

        publish(bad, type, messageId);
        sendGoodSaleAndWaitUntilApplied();

        GetResponse deadLetter = inspector.basicGet(sandbox.topology().deadLetterQueue(), true);
        assertThat(deadLetter).as("dead letter of %s", name).isNotNull();
        assertThat(deadLetter.getProps().getMessageId()).isEqualTo(messageId);
        assertThat(deadLetter.getBody()).isEqualTo(bad);
        Map<String, Object> headers = deadLetter.getProps().getHeaders();
        assertThat(String.valueOf(headers.get(MessageHeaders.DEAD_LETTER_REASON)))
                .contains(reason);
        assertThat(String.valueOf(headers.get(MessageHeaders.ORIGINAL_ROUTING_KEY)))
                .isEqualTo(Topology.routingKey(branch));
        assertThat(String.valueOf(headers.get(MessageHeaders.ORIGINAL_USER_ID))).isEqualTo(branch);
        assertThat(inspector
                        .queueDeclarePassive(sandbox.topology().deadLetterQueue())
                        .getMessageCount())
                .isZero();

        assertThat(loggedReason(messageId)).contains(reason);
        assertThat(count("SELECT COUNT(*) FROM dead_letter_log")).isEqualTo(logged + 1);
        soon().untilAsserted(() ->
                assertThat(headOffice.consumer().status().deadLettered()).isEqualTo(deadLettered + 1));
        assertThat(headOffice.consumer().status().databaseProblem()).isNull();

        assertThat(aggregateRows()).containsExactlyElementsOf(expectedRows());
        assertThat(count("SELECT SUM(sales) FROM sale_daily")).isEqualTo(goodSales.size());
        assertThat(count("SELECT SUM(applied_changes) FROM branch_progress")).isEqualTo(goodSales.size());
        assertThat(count("SELECT MAX(last_seq) FROM branch_progress WHERE branch_id = ?", branch))
                .isEqualTo(seq);
    }

    // --- the cases ---------------------------------------------------------------------------------

    private static Arguments raw(String name, String body, String reason) {
        return bytes(name, body.getBytes(StandardCharsets.UTF_8), reason);
    }

    private static Arguments bytes(String name, byte[] body, String reason) {
        return message(name, valid -> body, reason);
    }

    private static Arguments message(String name, Body body, String reason) {
        return arguments(name, SaleChange.MESSAGE_TYPE, body, reason);
    }

    private static Arguments edited(String name, Consumer<ObjectNode> edit, String reason) {
        return typed(name, SaleChange.MESSAGE_TYPE, edit, reason);
    }

    private static Arguments typed(String name, String type, String reason) {
        return typed(name, type, valid -> {}, reason);
    }

    private static Arguments typed(String name, String type, Consumer<ObjectNode> edit, String reason) {
        return arguments(
                name,
                type,
                (Body) valid -> {
                    edit.accept(valid);
                    return JSON.writeValueAsBytes(valid);
                },
                reason);
    }

    /**
     * The valid message with the field at {@code path} ("seq", "sale.qty") set to a piece of JSON text,
     * sent exactly as written (so that it may be NaN, 1e400 or 45 digits long).
     */
    private static Arguments with(String name, String path, String json, String reason) {
        return message(
                name,
                valid -> {
                    parentOf(valid, path).put(leafOf(path), PLACEHOLDER);
                    return JSON.writeValueAsString(valid)
                            .replace("\"" + PLACEHOLDER + "\"", json)
                            .getBytes(StandardCharsets.UTF_8);
                },
                reason);
    }

    /** A valid checkpoint made of the valid message (its branch, seq and time; no rows yet), then changed by {@code edit}. */
    private static Arguments checkpoint(String name, Consumer<ObjectNode> edit, String reason) {
        return typed(
                name,
                BranchCheckpoint.MESSAGE_TYPE,
                valid -> {
                    valid.remove(List.of("op", "sale"));
                    valid.put("type", BranchCheckpoint.MESSAGE_TYPE)
                            .put("trigger", BranchCheckpoint.REQUESTED)
                            .put("rows", 0)
                            .put("liveRows", 0)
                            .put("checksum", "0");
                    edit.accept(valid);
                },
                reason);
    }

    /** A valid resync marker made of the valid message (its branch, seq and time; no rows), then changed by {@code edit}. */
    private static Arguments resyncMarker(String name, Consumer<ObjectNode> edit, String reason) {
        return typed(
                name,
                ResyncMarker.MESSAGE_TYPE,
                valid -> {
                    valid.remove(List.of("op", "sale"));
                    valid.put("type", ResyncMarker.MESSAGE_TYPE)
                            .put("resyncId", VALID_UUID)
                            .put("phase", "started")
                            .put("rows", 0);
                    edit.accept(valid);
                },
                reason);
    }

    private static Arguments without(String path, String reason) {
        return edited("without " + path, valid -> parentOf(valid, path).remove(leafOf(path)), reason);
    }

    private static ObjectNode parentOf(ObjectNode root, String path) {
        return path.contains(".") ? (ObjectNode) root.get(path.substring(0, path.indexOf('.'))) : root;
    }

    private static String leafOf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static ObjectNode sale(ObjectNode message) {
        return (ObjectNode) message.get("sale");
    }

    private static String text(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The body followed by spaces up to {@code size} bytes: still one valid JSON object, only too big. */
    private static byte[] padded(byte[] body, int size) {
        byte[] padded = Arrays.copyOf(body, size);
        Arrays.fill(padded, body.length, size, (byte) ' ');
        return padded;
    }

    // --- sending and checking -------------------------------------------------------------------------

    /**
     * A valid message from the branch that would replace the first good sale by a newer version with
     * other content; each case breaks one thing in it.
     */
    private ObjectNode template() throws IOException {
        Sale first = goodSales.isEmpty()
                ? Sale.create(UUID.fromString(VALID_UUID), branch, input("North", "Seed", 1), RATE)
                : goodSales.get(0);
        Sale replacement = new Sale(
                first.id(),
                branch,
                DAY,
                "North",
                "Replaced",
                3,
                new BigDecimal("12.50"),
                new BigDecimal("37.50"),
                new BigDecimal("3.00"),
                new BigDecimal("40.50"),
                first.version() + 1,
                false);
        return (ObjectNode)
                JSON.readTree(codec.encode(SaleChange.of(seq + 1, Instant.parse("2026-11-26T10:00:00Z"), replacement)));
    }

    private void sendGoodSaleAndWaitUntilApplied() throws Exception {
        Sale good = goodSales.isEmpty()
                ? Sale.create(UUID.fromString(VALID_UUID), branch, input("North", "Seed", 1), RATE)
                : Sale.create(
                        UUID.randomUUID(), branch, input("South", "Good " + goodSales.size(), goodSales.size()), RATE);
        seq++;
        publish(
                codec.encode(
                        SaleChange.of(seq, Instant.parse("2026-11-26T10:00:00Z").plusSeconds(seq), good)),
                SaleChange.MESSAGE_TYPE,
                SaleChange.messageId(branch, seq));
        goodSales.add(good);
        soon().until(() ->
                count("SELECT COUNT(*) FROM sale WHERE sale_id = ?", good.id().toString()) == 1);
    }

    /** Awaits without the default 100 ms delay: each of the many cases waits for a few milliseconds of work. */
    private static ConditionFactory soon() {
        return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    /** Publishes as the branch's own broker user, with its routing key, and waits for the broker's confirm. */
    private void publish(byte[] body, String type, String messageId) throws Exception {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType(SaleChangeCodec.CONTENT_TYPE)
                .messageId(messageId)
                .type(type)
                .userId(branch)
                .build();
        returned.set(false);
        branchChannel.basicPublish(
                sandbox.topology().salesExchange(), Topology.routingKey(branch), true, properties, body);
        branchChannel.waitForConfirmsOrDie(5_000);
        assertThat(returned)
                .as("message %s was routed to the head office queue", messageId)
                .isFalse();
    }

    private String loggedReason(String messageId) throws SQLException {
        try (java.sql.Connection connection = aggregate.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT reason, claimed_branch, routing_key FROM dead_letter_log WHERE message_id = ?")) {
            statement.setString(1, messageId);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next())
                        .as("dead_letter_log row for %s", messageId)
                        .isTrue();
                assertThat(rs.getString(2)).isEqualTo(branch);
                assertThat(rs.getString(3)).isEqualTo(Topology.routingKey(branch));
                String reason = rs.getString(1);
                assertThat(rs.next()).as("one row for %s", messageId).isFalse();
                return reason;
            }
        }
    }

    /** A number from the aggregate, through the test's pool (a new connection per check would dominate the run time). */
    private long count(String sql, Object... parameters) throws SQLException {
        try (java.sql.Connection connection = aggregate.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<String> aggregateRows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (java.sql.Connection connection = aggregate.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT branch_id, sale_id, sale_date, region, product,"
                                + " qty, cost, amt, tax, total, version, deleted FROM sale ORDER BY branch_id, sale_id");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(String.join(
                        "|",
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10),
                        rs.getString(11),
                        rs.getBoolean(12) ? "deleted" : "live"));
            }
        }
        return rows;
    }

    private List<String> expectedRows() {
        return goodSales.stream()
                .sorted((a, b) -> a.id().toString().compareTo(b.id().toString()))
                .map(sale -> String.join(
                        "|",
                        sale.branchId(),
                        sale.id().toString(),
                        sale.date().toString(),
                        sale.region(),
                        sale.product(),
                        String.valueOf(sale.qty()),
                        sale.cost().toPlainString(),
                        sale.amt().toPlainString(),
                        sale.tax().toPlainString(),
                        sale.total().toPlainString(),
                        String.valueOf(sale.version()),
                        sale.deleted() ? "deleted" : "live"))
                .toList();
    }

    private static SaleInput input(String region, String product, int qty) {
        return new SaleInput(DAY, region, product, Math.max(1, qty), new BigDecimal("2.50"));
    }
}
