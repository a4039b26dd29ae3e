package io.salesync.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.BranchMessage;
import io.salesync.common.event.ResyncMarker;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bound a branch message's values obey where they are decoded (docs/protocol.md, Limits),
 * each from both sides: the last value it accepts and the first it refuses, with the sentence that
 * goes to the dead-letter queue. Each case changes one thing in a stored sample: the upsert
 * (seq 42, version 2), the checkpoint (seq 1300, 1204 rows, 1170 live) or the resync marker (seq 1302).
 */
class BoundedValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLACEHOLDER = "@@value-%d@@";
    private static final String UPSERT = "sale-changed-upsert.json";
    private static final String CHECKPOINT = "branch-checkpoint.json";
    private static final String RESYNC = "branch-resync-started.json";
    private static final String MAX_SEQ = String.valueOf(BranchMessage.MAX_SEQ);

    private final SaleChangeCodec codec = new SaleChangeCodec();

    private static ObjectNode sample(String name) {
        try (InputStream in = BoundedValuesTest.class.getResourceAsStream("/samples/" + name)) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sample with each field at a path ("seq", "sale.version") set to a piece of JSON text, sent
     * as written: {@code with(UPSERT, "seq", "1", "sale.version", "1")}.
     */
    private static byte[] with(String name, String... pathsAndJson) throws IOException {
        ObjectNode root = sample(name);
        for (int i = 0; i < pathsAndJson.length; i += 2) {
            String path = pathsAndJson[i];
            ObjectNode parent = path.contains(".") ? (ObjectNode) root.get(path.substring(0, path.indexOf('.'))) : root;
            parent.put(path.substring(path.lastIndexOf('.') + 1), PLACEHOLDER.formatted(i));
        }
        String json = JSON.writeValueAsString(root);
        for (int i = 0; i < pathsAndJson.length; i += 2) {
            json = json.replace("\"" + PLACEHOLDER.formatted(i) + "\"", pathsAndJson[i + 1]);
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string literal holding {@code text}, escaped as needed. */
    private static String string(String text) throws IOException {
        return JSON.writeValueAsString(text);
    }

    private static String moneyRule(String path, String quoted) {
        return "field '" + path
                + "' must be a decimal string such as \"12.50\" (an optional minus sign, at most 12 digits"
                + " before the point and 2 after; no exponent, plus sign or spaces), was '" + quoted + "'";
    }

    private static BigDecimal money(Sale sale, String path) {
        return switch (path) {
            case "sale.cost" -> sale.cost();
            case "sale.amt" -> sale.amt();
            case "sale.tax" -> sale.tax();
            case "sale.total" -> sale.total();
            default -> throw new IllegalArgumentException(path);
        };
    }

    private BranchCheckpoint checkpoint(byte[] body) throws MessageFormatException {
        return (BranchCheckpoint) codec.decodeMessage(body);
    }

    @Nested
    class MoneyIsPlainDecimalText {

        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource(delimiter = '|', textBlock = """
                sale.cost  | 0
                sale.cost  | 12
                sale.cost  | 12.5
                sale.cost  | 0012.50
                sale.amt   | 999999999999.99
                sale.amt   | -999999999999.99
                sale.tax   | -3.00
                sale.total | 000000000040.50
                """)
        void plainDecimalOfAtMostTwelveDigitsBeforeThePointAndTwoAfterIsRead(String path, String text)
                throws Exception {
            Sale sale = codec.decode(with(UPSERT, path, string(text))).sale();

            assertThat(money(sale, path)).isEqualTo(new BigDecimal(text));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "1E+3",
                    "1e3",
                    "12.50E0",
                    "1.25E+1",
                    "1E-2",
                    "+12.50",
                    " 12.50",
                    "12.50 ",
                    "12.",
                    ".50",
                    "12.505",
                    "12.500",
                    "1000000000000",
                    "1000000000000.00",
                    "-1000000000000.00",
                    "\uFF11\uFF12.\uFF15\uFF10",
                    "\u0661\u0662.\u0665\u0660",
                    "--1",
                    "-",
                    "",
                    "12,50",
                    "0x1F",
                    "NaN",
                    "Infinity",
                    "1_000",
                    "12.5.0"
                })
        void anythingElseIsRefusedNamingTheFieldAndTheRule(String text) {
            assertThatThrownBy(() -> codec.decode(with(UPSERT, "sale.cost", string(text))))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage(moneyRule("sale.cost", text));
        }

        @ParameterizedTest
        @ValueSource(strings = {"sale.cost", "sale.amt", "sale.tax", "sale.total"})
        void anExponentIsRefusedInEveryMoneyField(String path) {
            assertThatThrownBy(() -> codec.decode(with(UPSERT, path, "\"1E+99999999\"")))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage(moneyRule(path, "1E+99999999"));
        }

        @Test
        void aRefusalQuotesALongValueOnlyInPart() {
            String digits = "9".repeat(4000);

            assertThatThrownBy(() -> codec.decode(with(UPSERT, "sale.total", string(digits))))
                    .hasMessage(moneyRule("sale.total", "9".repeat(61) + "..."));
        }
    }

    @Nested
    class Checksums {

        @ParameterizedTest
        @ValueSource(strings = {"0", "2583340512367", "5171140623180", "00000000000000000000000000001"})
        void wholeNumberUpToRowsTimesTheLargestCrc32IsRead(String text) throws Exception {
            assertThat(checkpoint(with(CHECKPOINT, "checksum", string(text)))
                            .figures()
                            .checksum())
                    .isEqualTo(new BigDecimal(text));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "1E+99999999",
                    "1e3",
                    "5.0",
                    "5.",
                    "-1",
                    "-0",
                    "+5",
                    " 5",
                    "5 ",
                    "",
                    "\uFF15",
                    "1000000000000000000000000000000"
                })
        void anythingButPlainDigitsIsRefused(String text) {
            assertThatThrownBy(() -> codec.decodeMessage(with(CHECKPOINT, "checksum", string(text))))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage(
                            "field 'checksum' must be a decimal string such as \"2583340512367\" (digits only, at most 30;"
                                    + " no sign, point, exponent or spaces), was '" + text + "'");
        }

        @Test
        void checksumAboveRowsTimesTheLargestCrc32IsRefused() {
            assertThatThrownBy(() -> codec.decodeMessage(with(CHECKPOINT, "checksum", "\"5171140623181\"")))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage(
                            "field 'checksum' must be at most rows x (2^32 - 1) = 5171140623180 (a sum of one CRC32 per"
                                    + " row), was 5171140623181");
        }

        @Test
        void withoutRowsTheChecksumIsZero() throws Exception {
            assertThat(checkpoint(with(CHECKPOINT, "rows", "0", "liveRows", "0", "checksum", "\"0\""))
                            .figures()
                            .checksum())
                    .isZero();
            assertThatThrownBy(() ->
                            codec.decodeMessage(with(CHECKPOINT, "rows", "0", "liveRows", "0", "checksum", "\"1\"")))
                    .hasMessage(
                            "field 'checksum' must be at most rows x (2^32 - 1) = 0 (a sum of one CRC32 per row), was 1");
        }

        @Test
        void checksumAsAJsonNumberIsRefused() {
            assertThatThrownBy(() -> codec.decodeMessage(with(CHECKPOINT, "checksum", "2583340512367")))
                    .hasMessage("field 'checksum' must be a decimal string, for example \"2583340512367\"");
        }
    }

    @Nested
    class CheckpointCounts {

        @ParameterizedTest
        @ValueSource(longs = {0, 1, 1204, 1299, 1300})
        void rowsFromZeroToTheCheckpointsOwnSeqAreRead(long rows) throws Exception {
            assertThat(checkpoint(with(CHECKPOINT, "rows", String.valueOf(rows), "liveRows", "0", "checksum", "\"0\""))
                            .figures()
                            .rows())
                    .isEqualTo(rows);
        }

        @ParameterizedTest
        @ValueSource(strings = {"1301", "10000000000000", "9223372036854775807"})
        void rowsAboveTheCheckpointsSeqAreRefused(String rows) {
            assertThatThrownBy(() -> codec.decodeMessage(with(CHECKPOINT, "rows", rows)))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage("field 'rows' must be from 0 to the checkpoint's seq (1300), was " + rows);
        }

        @Test
        void negativeRowsAreRefused() {
            assertThatThrownBy(() -> codec.decodeMessage(with(CHECKPOINT, "rows", "-1")))
                    .hasMessage("field 'rows' must be from 0 to the checkpoint's seq (1300), was -1");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, 1204})
        void liveRowsFromZeroToRowsAreRead(long liveRows) throws Exception {
            assertThat(checkpoint(with(CHECKPOINT, "liveRows", String.valueOf(liveRows)))
                            .figures()
                            .liveRows())
                    .isEqualTo(liveRows);
        }

        @ParameterizedTest
        @ValueSource(longs = {-1, 1205, Long.MAX_VALUE})
        void liveRowsOutsideZeroToRowsAreRefused(long liveRows) {
            assertThatThrownBy(() -> codec.decodeMessage(with(CHECKPOINT, "liveRows", String.valueOf(liveRows))))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage("field 'liveRows' must be from 0 to rows (1204), was " + liveRows);
        }
    }

    @Nested
    class Triggers {

        @ParameterizedTest
        @ValueSource(strings = {"startup", "scheduled", "requested", "resync"})
        void everyTriggerTheBranchWritesIsRead(String trigger) throws Exception {
            assertThat(checkpoint(with(CHECKPOINT, "trigger", string(trigger))).trigger())
                    .isEqualTo(trigger);
        }

        @ParameterizedTest
        @ValueSource(strings = {"manual", "Scheduled", "scheduled ", "", "resync\u0000"})
        void anyOtherTriggerIsRefused(String trigger) {
            assertThatThrownBy(() -> codec.decodeMessage(with(CHECKPOINT, "trigger", string(trigger))))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage("field 'trigger' must be one of startup, scheduled, requested, resync, was '" + trigger
                            + "'");
        }

        @Test
        void aTriggerOfFourThousandCharactersIsRefusedAndQuotedInPart() {
            assertThatThrownBy(() -> codec.decodeMessage(with(CHECKPOINT, "trigger", string("t".repeat(4000)))))
                    .hasMessage("field 'trigger' must be one of startup, scheduled, requested, resync, was '"
                            + "t".repeat(61) + "...'");
        }
    }

    @Nested
    class ResyncMarkers {

        @ParameterizedTest
        @CsvSource({"started, 0", "started, 1302", "finished, 0", "finished, 1302"})
        void rowsFromZeroToTheMarkersSeqAreRead(String phase, long rows) throws Exception {
            ResyncMarker marker = (ResyncMarker)
                    codec.decodeMessage(with(RESYNC, "phase", string(phase), "rows", String.valueOf(rows)));

            assertThat(marker.rows()).isEqualTo(rows);
        }

        @ParameterizedTest
        @CsvSource({"started, -1", "started, 1303", "finished, 1303", "finished, 9223372036854775807"})
        void rowsOutsideZeroToTheMarkersSeqAreRefused(String phase, long rows) {
            assertThatThrownBy(() ->
                            codec.decodeMessage(with(RESYNC, "phase", string(phase), "rows", String.valueOf(rows))))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage("field 'rows' must be from 0 to the marker's seq (1302), was " + rows);
        }
    }

    @Nested
    class SequenceNumbers {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {UPSERT, CHECKPOINT, RESYNC})
        void fromOneToTheMaximumIsRead(String name) throws Exception {
            assertThat(codec.decodeMessage(firstOf(name, "1")).seq()).isEqualTo(1);
            assertThat(codec.decodeMessage(firstOf(name, MAX_SEQ)).seq()).isEqualTo(BranchMessage.MAX_SEQ);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {UPSERT, CHECKPOINT, RESYNC})
        void aboveTheMaximumIsRefused(String name) {
            for (String seq : new String[] {String.valueOf(BranchMessage.MAX_SEQ + 1), "9223372036854775807"}) {
                assertThatThrownBy(() -> codec.decodeMessage(firstOf(name, seq)))
                        .isInstanceOf(MessageFormatException.class)
                        .hasMessage(
                                "field 'seq' must be at most 10000000000000 (the protocol's limit on a branch's sequence"
                                        + " numbers), was " + seq);
            }
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {UPSERT, CHECKPOINT, RESYNC})
        void belowOneIsRefused(String name) {
            assertThatThrownBy(() -> codec.decodeMessage(firstOf(name, "0")))
                    .hasMessage("field 'seq' must be 1 or more, was 0");
        }

        @Test
        void theMaximumIsTenToTheThirteenth() {
            assertThat(BranchMessage.MAX_SEQ).isEqualTo(10_000_000_000_000L);
        }

        /** The sample as the branch's first message would be at {@code seq}: a first version, no rows yet. */
        private byte[] firstOf(String name, String seq) throws IOException {
            return switch (name) {
                case UPSERT -> with(name, "seq", seq, "sale.version", "1");
                case CHECKPOINT -> with(name, "seq", seq, "rows", "0", "liveRows", "0", "checksum", "\"0\"");
                default -> with(name, "seq", seq, "rows", "0");
            };
        }
    }

    @Nested
    class Versions {

        @ParameterizedTest
        @ValueSource(longs = {1, 2, 42})
        void fromOneToTheChangesSeqIsRead(long version) throws Exception {
            assertThat(codec.decode(with(UPSERT, "sale.version", String.valueOf(version)))
                            .sale()
                            .version())
                    .isEqualTo(version);
        }

        @Test
        void versionEqualToTheMaximumSeqIsRead() throws Exception {
            SaleChange change = codec.decode(with(UPSERT, "seq", MAX_SEQ, "sale.version", MAX_SEQ));

            assertThat(change.sale().version()).isEqualTo(BranchMessage.MAX_SEQ);
        }

        @ParameterizedTest
        @ValueSource(longs = {43, 10_000_000_000_000L, Long.MAX_VALUE})
        void aboveTheChangesSeqIsRefused(long version) {
            assertThatThrownBy(() -> codec.decode(with(UPSERT, "sale.version", String.valueOf(version))))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage("field 'sale.version' must be at most the change's seq 42, was " + version
                            + ": each version of a sale is made by a change with a sequence number of its own");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1, Long.MIN_VALUE})
        void belowOneIsRefused(long version) {
            assertThatThrownBy(() -> codec.decode(with(UPSERT, "sale.version", String.valueOf(version))))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage("field 'sale.version' must be 1 or more, was " + version);
        }
    }

    @Nested
    class BranchIds {

        @ParameterizedTest
        @ValueSource(strings = {"bo1", "a", "0", "b-1_x", "abcdefghijklmnopqrstuvwxyz012345"})
        void aBranchIdOfOneToThirtyTwoAllowedCharactersIsRead(String branchId) throws Exception {
            assertThat(codec.decodeMessage(with(UPSERT, "branchId", string(branchId)))
                            .branchId())
                    .isEqualTo(branchId);
            assertThat(codec.decodeMessage(with(CHECKPOINT, "branchId", string(branchId)))
                            .branchId())
                    .isEqualTo(branchId);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "",
                    "BO1",
                    "-bo1",
                    "_bo1",
                    "bo 1",
                    "bo1.x",
                    "bo1\n",
                    "\uFF42\uFF4F\uFF11",
                    "abcdefghijklmnopqrstuvwxyz0123456"
                })
        void anyOtherBranchIdIsRefusedWhateverTheMessage(String branchId) {
            for (String name : new String[] {UPSERT, CHECKPOINT, RESYNC}) {
                assertThatThrownBy(() -> codec.decodeMessage(with(name, "branchId", string(branchId))))
                        .isInstanceOf(MessageFormatException.class)
                        .hasMessage(
                                "field 'branchId' must be 1 to 32 of a-z, 0-9, '-' and '_', starting with a letter or"
                                        + " digit, was '" + branchId + "'");
            }
        }
    }
}
