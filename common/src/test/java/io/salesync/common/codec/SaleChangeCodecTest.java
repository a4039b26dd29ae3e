package io.salesync.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesync.common.db.SaleChecksum;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.BranchMessage;
import io.salesync.common.event.ChangeOp;
import io.salesync.common.event.ResyncMarker;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.SaleValidator;
import io.salesync.common.sale.TaxRate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SaleChangeCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ID = UUID.fromString("3f2b8c1e-7d4a-4e5b-9c6d-0a1b2c3d4e5f");
    private static final TaxRate RATE = TaxRate.of("0.08");

    private final SaleChangeCodec codec = new SaleChangeCodec();

    private static byte[] sample(String name) {
        try (InputStream in = SaleChangeCodecTest.class.getResourceAsStream("/samples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(byte[] json) throws IOException {
        return JSON.readTree(json);
    }

    private static Sale sale(String product) {
        return Sale.create(
                ID,
                "bo1",
                new SaleInput(LocalDate.of(2026, 11, 26), "North", product, 3, new BigDecimal("12.50")),
                RATE);
    }

    @Nested
    class RoundTrips {

        @Test
        void upsertSurvivesEncodeAndDecode() throws MessageFormatException {
            SaleChange change = SaleChange.of(7, Instant.parse("2026-11-26T09:15:30Z"), sale("Widget"));

            assertThat(codec.decode(codec.encode(change))).isEqualTo(change);
        }

        @Test
        void deleteSurvivesEncodeAndDecode() throws MessageFormatException {
            SaleChange change = SaleChange.of(
                    8, Instant.parse("2026-11-26T09:15:31Z"), sale("Widget").markDeleted());

            SaleChange decoded = codec.decode(codec.encode(change));

            assertThat(decoded).isEqualTo(change);
            assertThat(decoded.op()).isEqualTo(ChangeOp.DELETE);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "Café «A4» 東京",
                    "He said \"bargain\"",
                    "'); DROP TABLE sale;--",
                    "back\\slash",
                    "\uD83D\uDE00"
                })
        void textIsCarriedExactly(String product) throws MessageFormatException {
            SaleChange change = SaleChange.of(1, Instant.parse("2026-11-26T09:15:30Z"), sale(product));

            assertThat(codec.decode(codec.encode(change)).sale().product()).isEqualTo(product);
        }

        @Test
        void instantKeepsNanosecondsAndSequenceKeepsItsFullRange() throws MessageFormatException {
            SaleChange change = SaleChange.of(
                    BranchMessage.MAX_SEQ, Instant.parse("2026-11-26T09:15:30.123456789Z"), sale("Widget"));

            SaleChange decoded = codec.decode(codec.encode(change));

            assertThat(decoded.occurredAt()).isEqualTo(change.occurredAt());
            assertThat(decoded.seq()).isEqualTo(BranchMessage.MAX_SEQ);
        }

        @Test
        void moneyTravelsAsDecimalStringsNeverAsNumbers() throws IOException {
            JsonNode sale = tree(codec.encode(SaleChange.of(1, Instant.EPOCH, sale("Widget"))))
                    .get("sale");

            for (String field : new String[] {"cost", "amt", "tax", "total"}) {
                assertThat(sale.get(field).isTextual()).as(field).isTrue();
            }
            assertThat(sale.get("cost").textValue()).isEqualTo("12.50");
        }

        @Test
        void encodedBodyIsUtf8() {
            byte[] body = codec.encode(SaleChange.of(1, Instant.EPOCH, sale("東京")));

            assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"product\":\"東京\"");
        }
    }

    @Nested
    class StoredSamples {

        @Test
        void upsertSampleDecodesToItsContent() throws MessageFormatException {
            SaleChange change = codec.decode(sample("sale-changed-upsert.json"));

            assertThat(change.branchId()).isEqualTo("bo1");
            assertThat(change.seq()).isEqualTo(42);
            assertThat(change.occurredAt()).isEqualTo(Instant.parse("2026-11-26T09:15:30.123Z"));
            assertThat(change.op()).isEqualTo(ChangeOp.UPSERT);
            assertThat(change.messageId()).isEqualTo("bo1:42");
            assertThat(change.sale())
                    .isEqualTo(new Sale(
                            ID,
                            "bo1",
                            LocalDate.of(2026, 11, 26),
                            "North",
                            "Café «A4» 東京",
                            3,
                            new BigDecimal("12.50"),
                            new BigDecimal("37.50"),
                            new BigDecimal("3.00"),
                            new BigDecimal("40.50"),
                            2,
                            false));
        }

        @Test
        void deleteSampleDecodesAsADeletedVersion() throws MessageFormatException {
            SaleChange change = codec.decode(sample("sale-changed-delete.json"));

            assertThat(change.op()).isEqualTo(ChangeOp.DELETE);
            assertThat(change.branchId()).isEqualTo("bo2");
            assertThat(change.sale().branchId()).isEqualTo("bo2");
            assertThat(change.sale().deleted()).isTrue();
            assertThat(change.sale().version()).isEqualTo(3);
        }

        @ParameterizedTest
        @ValueSource(strings = {"sale-changed-upsert.json", "sale-changed-delete.json"})
        void samplesAreValidSales(String name) throws MessageFormatException {
            assertThat(SaleValidator.problemsOf(codec.decode(sample(name)).sale()))
                    .isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"sale-changed-upsert.json", "sale-changed-delete.json"})
        void encodingADecodedSampleGivesTheSampleBack(String name) throws IOException, MessageFormatException {
            byte[] stored = sample(name);

            byte[] reencoded = codec.encode(codec.decode(stored));

            assertThat(tree(reencoded)).isEqualTo(tree(stored));
        }

        @Test
        void checkpointSampleDecodesToItsFigures() throws MessageFormatException {
            BranchMessage message = codec.decodeMessage(sample("branch-checkpoint.json"));

            assertThat(message)
                    .isEqualTo(new BranchCheckpoint(
                            "bo1",
                            1300,
                            Instant.parse("2026-11-27T08:05:00Z"),
                            new SaleChecksum.Figures(1204, 1170, new BigDecimal("2583340512367")),
                            BranchCheckpoint.SCHEDULED));
        }

        @Test
        void resyncMarkerSampleDecodesToItsPhaseAndRows() throws MessageFormatException {
            BranchMessage message = codec.decodeMessage(sample("branch-resync-started.json"));

            assertThat(message)
                    .isEqualTo(new ResyncMarker(
                            "bo1",
                            1302,
                            Instant.parse("2026-11-27T08:06:00Z"),
                            UUID.fromString("0b7e3c55-2f7a-4a59-8d8e-6f5f7d0c1e21"),
                            ResyncMarker.Phase.STARTED,
                            1204));
        }

        @ParameterizedTest
        @ValueSource(strings = {"branch-checkpoint.json", "branch-resync-started.json"})
        void encodingADecodedBranchMessageGivesTheSampleBack(String name) throws IOException, MessageFormatException {
            byte[] stored = sample(name);

            assertThat(tree(codec.encode(codec.decodeMessage(stored)))).isEqualTo(tree(stored));
        }

        @Test
        void unknownExtraFieldsAreIgnoredForNewerBranches() throws IOException, MessageFormatException {
            ObjectNode newer = (ObjectNode) tree(sample("sale-changed-upsert.json"));
            newer.put("clerk", "ann");
            ((ObjectNode) newer.get("sale")).put("discount", "0.00");

            SaleChange change = codec.decode(JSON.writeValueAsBytes(newer));

            assertThat(change).isEqualTo(codec.decode(sample("sale-changed-upsert.json")));
        }
    }

    @Nested
    class RefusedBodies {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
                bad/array.json                  | body is not a JSON object
                bad/missing-sale-qty.json       | missing field 'sale.qty'
                bad/qty-as-string.json          | field 'sale.qty' must be a whole number within int range
                bad/cost-as-number.json         | field 'sale.cost' must be a decimal string (money travels as text, for example 12.50)
                bad/schema-version-2.json       | unsupported schemaVersion 2 (this reader knows 1)
                bad/unknown-type.json           | unknown message type 'sale.exploded'
                bad/bad-uuid.json               | field 'sale.id' is not a UUID: '3f2b8c1e-7d4a-4e5b-9c6d'
                bad/op-contradicts-deleted.json | op 'delete' contradicts sale.deleted=false
                """)
        void badSampleIsRefusedWithAReasonNamingTheField(String name, String reason) {
            assertThatThrownBy(() -> codec.decode(sample(name)))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage(reason);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
                bad/checksum-exponent.json               | field 'checksum' must be a decimal string such as "2583340512367" (digits only, at most 30; no sign, point, exponent or spaces), was '1E+99999999'
                bad/checksum-beyond-rows.json            | field 'checksum' must be at most rows x (2^32 - 1) = 4294967295 (a sum of one CRC32 per row), was 4294967296
                bad/checkpoint-rows-above-seq.json       | field 'rows' must be from 0 to the checkpoint's seq (1300), was 1301
                bad/live-rows-above-rows.json            | field 'liveRows' must be from 0 to rows (1204), was 1205
                bad/trigger-unknown.json                 | field 'trigger' must be one of startup, scheduled, requested, resync, was 'manual'
                bad/checkpoint-branch-id-too-long.json   | field 'branchId' must be 1 to 32 of a-z, 0-9, '-' and '_', starting with a letter or digit, was 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
                bad/resync-rows-above-seq.json           | field 'rows' must be from 0 to the marker's seq (1302), was 1303
                bad/seq-beyond-maximum.json              | field 'seq' must be at most 10000000000000 (the protocol's limit on a branch's sequence numbers), was 10000000000001
                bad/version-above-seq.json               | field 'sale.version' must be at most the change's seq 42, was 43: each version of a sale is made by a change with a sequence number of its own
                bad/cost-with-exponent.json              | field 'sale.cost' must be a decimal string such as "12.50" (an optional minus sign, at most 12 digits before the point and 2 after; no exponent, plus sign or spaces), was '1.25E+1'
                """)
        void sampleOutOfBoundsIsRefusedNamingTheFieldAndTheRule(String name, String reason) {
            assertThatThrownBy(() -> codec.decodeMessage(sample(name)))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage(reason);
        }

        @Test
        void textThatIsNotJsonIsRefusedAsSuch() {
            assertThatThrownBy(() -> codec.decode(sample("bad/not-json.txt")))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessageStartingWith("not valid JSON: ")
                    .hasMessageNotContaining("\n")
                    .hasCauseInstanceOf(IOException.class);
        }

        @Test
        void emptyBodyIsRefused() {
            assertThatThrownBy(() -> codec.decode(new byte[0])).hasMessage("empty body");
            assertThatThrownBy(() -> codec.decode(null)).hasMessage("empty body");
        }

        @Test
        void bodyOverSixteenKibibytesIsRefusedBeforeParsing() {
            byte[] huge = new byte[16 * 1024 + 1];
            Arrays.fill(huge, (byte) ' ');

            assertThatThrownBy(() -> codec.decode(huge))
                    .isInstanceOf(MessageFormatException.class)
                    .hasMessage("body of 16385 bytes exceeds the limit of 16384");
        }

        @Test
        void bodyOfExactlySixteenKibibytesIsStillRead() throws MessageFormatException {
            byte[] stored = sample("sale-changed-upsert.json");
            byte[] padded = new byte[SaleChangeCodec.MAX_BODY_BYTES];
            Arrays.fill(padded, (byte) ' ');
            System.arraycopy(stored, 0, padded, 0, stored.length);

            assertThat(codec.decode(padded)).isEqualTo(codec.decode(stored));
        }

        @Test
        void jsonNullIsNotAnObject() {
            assertThatThrownBy(() -> codec.decode("null".getBytes(StandardCharsets.UTF_8)))
                    .hasMessage("body is not a JSON object");
        }

        @Test
        void sequenceBelowOneIsRefused() throws IOException {
            ObjectNode zeroSeq = (ObjectNode) tree(sample("sale-changed-upsert.json"));
            zeroSeq.put("seq", 0);

            assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(zeroSeq)))
                    .hasMessage("field 'seq' must be 1 or more, was 0");
        }

        @Test
        void unknownOpIsRefusedNamingTheAllowedValues() throws IOException {
            ObjectNode merge = (ObjectNode) tree(sample("sale-changed-upsert.json"));
            merge.put("op", "merge");

            assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(merge)))
                    .hasMessage("field 'op' must be 'upsert' or 'delete', was 'merge'");
        }

        @Test
        void nullFieldCountsAsMissing() throws IOException {
            ObjectNode nullBranch = (ObjectNode) tree(sample("sale-changed-upsert.json"));
            nullBranch.putNull("branchId");

            assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(nullBranch)))
                    .hasMessage("missing field 'branchId'");
        }

        @Test
        void costThatIsNotADecimalStringIsRefusedWithAnExample() throws IOException {
            ObjectNode tooCheap = (ObjectNode) tree(sample("sale-changed-upsert.json"));
            ((ObjectNode) tooCheap.get("sale")).put("cost", "twelve");

            assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(tooCheap)))
                    .hasMessage(
                            "field 'sale.cost' must be a decimal string such as \"12.50\" (an optional minus sign, at most 12"
                                    + " digits before the point and 2 after; no exponent, plus sign or spaces), was 'twelve'");
        }

        @Test
        void dateThatIsNotIsoIsRefused() throws IOException {
            ObjectNode usDate = (ObjectNode) tree(sample("sale-changed-upsert.json"));
            ((ObjectNode) usDate.get("sale")).put("date", "11/26/2026");

            assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(usDate)))
                    .hasMessage("field 'sale.date' is not an ISO date: '11/26/2026'");
        }

        @Test
        void qtyBeyondIntRangeIsRefused() throws IOException {
            ObjectNode hugeQty = (ObjectNode) tree(sample("sale-changed-upsert.json"));
            ((ObjectNode) hugeQty.get("sale")).put("qty", 3_000_000_000L);

            assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(hugeQty)))
                    .hasMessage("field 'sale.qty' must be a whole number within int range");
        }
    }
}
