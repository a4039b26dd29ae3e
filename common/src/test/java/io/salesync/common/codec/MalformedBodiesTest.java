package io.salesync.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoder's refusals that {@link SaleChangeCodecTest} does not show, one field or one kind of
 * damage at a time, starting from the stored upsert sample. The same bodies travel through a real
 * broker and head office in {@code MalformedMessagesIT}.
 */
class MalformedBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLACEHOLDER = "@@value@@";

    private final SaleChangeCodec codec = new SaleChangeCodec();

    private static ObjectNode sample() {
        try (InputStream in = MalformedBodiesTest.class.getResourceAsStream("/samples/sale-changed-upsert.json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample with the field at {@code path} ("seq", "sale.qty") set to JSON text, sent as written. */
    private static byte[] with(String path, String json) throws IOException {
        ObjectNode root = sample();
        parentOf(root, path).put(leafOf(path), PLACEHOLDER);
        return JSON.writeValueAsString(root)
                .replace("\"" + PLACEHOLDER + "\"", json)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] without(String path) throws IOException {
        ObjectNode root = sample();
        parentOf(root, path).remove(leafOf(path));
        return JSON.writeValueAsBytes(root);
    }

    private static ObjectNode parentOf(ObjectNode root, String path) {
        return path.contains(".") ? (ObjectNode) root.get(path.substring(0, path.indexOf('.'))) : root;
    }

    private static String leafOf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "schemaVersion",
                "type",
                "branchId",
                "seq",
                "occurredAt",
                "op",
                "sale.id",
                "sale.version",
                "sale.deleted",
                "sale.date",
                "sale.region",
                "sale.product",
                "sale.cost",
                "sale.amt",
                "sale.tax",
                "sale.total"
            })
    void everyRequiredFieldIsNamedWhenMissing(String path) {
        assertThatThrownBy(() -> codec.decode(without(path)))
                .isInstanceOf(MessageFormatException.class)
                .hasMessage("missing field '" + path + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"3 x Widget\"", "42", "true"})
    void saleThatIsNotAnObjectCountsAsMissing(String sale) {
        assertThatThrownBy(() -> codec.decode(with("sale", sale))).hasMessage("missing object field 'sale'");
        assertThatThrownBy(() -> codec.decode(without("sale"))).hasMessage("missing object field 'sale'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"sale.changed\"", "42", "true", "-0.5"})
    void bodyThatIsAScalarIsNotAnObject(String body) {
        assertThatThrownBy(() -> codec.decode(utf8(body))).hasMessage("body is not a JSON object");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            schemaVersion | `"1"`                  | field 'schemaVersion' must be a whole number within int range
            schemaVersion | 1.0                    | field 'schemaVersion' must be a whole number within int range
            schemaVersion | 3000000000             | field 'schemaVersion' must be a whole number within int range
            type          | 1                      | field 'type' must be a string
            branchId      | `["bo1"]`              | field 'branchId' must be a string
            seq           | `"42"`                 | field 'seq' must be a whole number within long range
            seq           | 4.2                    | field 'seq' must be a whole number within long range
            seq           | 9223372036854775808    | field 'seq' must be a whole number within long range
            occurredAt    | 1764148530             | field 'occurredAt' must be a string
            op            | true                   | field 'op' must be a string
            sale.id       | 42                     | field 'sale.id' must be a string
            sale.version  | `"2"`                  | field 'sale.version' must be a whole number within long range
            sale.version  | 9223372036854775808    | field 'sale.version' must be a whole number within long range
            sale.deleted  | `"false"`              | field 'sale.deleted' must be true or false
            sale.deleted  | 0                      | field 'sale.deleted' must be true or false
            sale.date     | 20261126               | field 'sale.date' must be a string
            sale.region   | 7                      | field 'sale.region' must be a string
            sale.product  | `{"name":"Widget"}`    | field 'sale.product' must be a string
            sale.qty      | 2.5                    | field 'sale.qty' must be a whole number within int range
            sale.qty      | true                   | field 'sale.qty' must be a whole number within int range
            sale.qty      | 1e400                  | field 'sale.qty' must be a whole number within int range
            sale.qty      | 1000000000000000000000000000000000000000 | field 'sale.qty' must be a whole number within int range
            sale.amt      | 37.5                   | field 'sale.amt' must be a decimal string (money travels as text, for example 12.50)
            sale.tax      | `""`                   | field 'sale.tax' must be a decimal string such as "12.50" (an optional minus sign, at most 12 digits before the point and 2 after; no exponent, plus sign or spaces), was ''
            sale.total    | `"12,50"`              | field 'sale.total' must be a decimal string such as "12.50" (an optional minus sign, at most 12 digits before the point and 2 after; no exponent, plus sign or spaces), was '12,50'
            """)
    void fieldOfTheWrongTypeIsNamedWithWhatItMustBe(String path, String json, String reason) {
        assertThatThrownBy(() -> codec.decode(with(path, json)))
                .isInstanceOf(MessageFormatException.class)
                .hasMessage(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `1-2-3-4-5`                              | field 'sale.id' is not a UUID: '1-2-3-4-5'
            3f2b8c1e7d4a4e5b9c6d0a1b2c3d4e5f         | field 'sale.id' is not a UUID: '3f2b8c1e7d4a4e5b9c6d0a1b2c3d4e5f'
            {3f2b8c1e-7d4a-4e5b-9c6d-0a1b2c3d4e5f}   | field 'sale.id' is not a UUID: '{3f2b8c1e-7d4a-4e5b-9c6d-0a1b2c3d4e5f}'
            3f2b8c1e-7d4a-4e5b-9c6d-0a1b2c3d4e5f0    | field 'sale.id' is not a UUID: '3f2b8c1e-7d4a-4e5b-9c6d-0a1b2c3d4e5f0'
            zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz     | field 'sale.id' is not a UUID: 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'
            """)
    void idThatIsNotACanonicalUuidIsRefused(String id, String reason) {
        assertThatThrownBy(() -> codec.decode(with("sale.id", "\"" + id + "\"")))
                .hasMessage(reason);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            sale.date  | 2026-02-30           | field 'sale.date' is not an ISO date: '2026-02-30'
            sale.date  | 2026-11-26T10:00:00Z | field 'sale.date' is not an ISO date: '2026-11-26T10:00:00Z'
            occurredAt | 2026-11-26T10:00:00  | field 'occurredAt' is not an ISO instant: '2026-11-26T10:00:00'
            occurredAt | 2026-11-26           | field 'occurredAt' is not an ISO instant: '2026-11-26'
            occurredAt | 2026-13-01T00:00:00Z | field 'occurredAt' is not an ISO instant: '2026-13-01T00:00:00Z'
            """)
    void dateOrInstantThatIsNotIsoIsRefused(String path, String value, String reason) {
        assertThatThrownBy(() -> codec.decode(with(path, "\"" + value + "\""))).hasMessage(reason);
    }

    @ParameterizedTest
    @ValueSource(ints = {41, 45, 1000})
    void numberLongerThanFortyDigitsIsRefusedByTheParser(int digits) {
        assertThatThrownBy(() -> codec.decode(with("sale.qty", "1" + "0".repeat(digits - 1))))
                .isInstanceOf(MessageFormatException.class)
                .hasMessageStartingWith("not valid JSON: Number value length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sale.region", "sale.product", "sale.note"})
    void stringOfFiveKilobytesIsRefusedByTheParserWhereverItIs(String path) {
        assertThatThrownBy(() -> codec.decode(with(path, "\"" + "x".repeat(5 * 1024) + "\"")))
                .isInstanceOf(MessageFormatException.class)
                .hasMessageStartingWith("not valid JSON: String value length")
                .hasMessageContaining("exceeds the maximum allowed (4096");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4000, 4096})
    void stringUpToTheParserLimitIsReadAndLeftToTheSaleRules(int length) throws Exception {
        String product = "P".repeat(length);

        assertThat(codec.decode(with("sale.product", "\"" + product + "\""))
                        .sale()
                        .product())
                .isEqualTo(product);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 50})
    void nestingDeeperThanEightLevelsIsRefused(int arrays) {
        String nested = "[".repeat(arrays) + "]".repeat(arrays);

        assertThatThrownBy(() -> codec.decode(with("extra", nested)))
                .isInstanceOf(MessageFormatException.class)
                .hasMessageStartingWith("not valid JSON: Document nesting depth");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/* hi */ {}", "{'seq': 1}", "{\"qty\": NaN}", "<sale/>"})
    void notQuiteJsonIsRefused(String body) {
        assertThatThrownBy(() -> codec.decode(utf8(body))).hasMessageStartingWith("not valid JSON: ");
    }

    @Test
    void textThatIsNotUtf8IsRefused() throws IOException {
        byte[] latin1 =
                JSON.writeValueAsString(sample()).replace("North", "Nörth").getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> codec.decode(latin1)).hasMessageStartingWith("not valid JSON: Invalid UTF-8");
    }

    @Test
    void javaSerializationStreamIsNeverDeserialized() {
        byte[] serialized = {(byte) 0xac, (byte) 0xed, 0x00, 0x05, 0x73, 0x72, 0x00, 0x10};

        assertThatThrownBy(() -> codec.decode(serialized)).hasMessageStartingWith("not valid JSON: ");
    }

    @Test
    void bodyCutInTheMiddleIsRefused() throws IOException {
        byte[] whole = JSON.writeValueAsBytes(sample());
        byte[] half = Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> codec.decode(half)).hasMessageStartingWith("not valid JSON: ");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {" garbage", " {}", "{\"schemaVersion\":1}"})
    void textAfterTheOneJsonValueIsRefused(String trailing) throws IOException {
        byte[] body = utf8(JSON.writeValueAsString(sample()) + trailing);

        assertThatThrownBy(() -> codec.decode(body)).hasMessageStartingWith("not valid JSON: ");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1960-05-01T00:00:00Z", "2999-01-01T00:00:00Z"})
    void aChangeTimeTheHeadOfficeCannotStoreIsRefused(String occurredAt) throws IOException {
        byte[] body = with("occurredAt", "\"" + occurredAt + "\"");

        assertThatThrownBy(() -> codec.decode(body))
                .hasMessageContaining("outside the times the head office can store");
    }
}
