package io.salesync.common.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.common.db.SaleChecksum;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.BranchMessage;
import io.salesync.common.event.ResyncMarker;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Money;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.SaleValidator;
import io.salesync.common.sale.TaxRate;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The branch never writes a message the head office refuses: the largest values the branch's own
 * code can put in each field (the clerk's rules at their limits, the highest tax rate, texts of
 * 4-byte characters, a version equal to its change's sequence number, checkpoint figures at their
 * bounds, all at the highest sequence number) are encoded as the branch encodes them and must be
 * decoded, and the sales validated, exactly as the head office does.
 */
class BranchExtremesTest {

    private static final String BRANCH = "abcdefghijklmnopqrstuvwxyz012345";
    private static final UUID ID = UUID.fromString("ffffffff-ffff-7fff-bfff-ffffffffffff");
    private static final Instant AT = Instant.parse("2037-12-31T23:59:59.999999999Z");
    private static final long MAX = BranchMessage.MAX_SEQ;
    /** U+1F600 and U+10FFFF: two chars each in Java, written as two 6-byte escapes each. */
    private static final String FOUR_BYTES = "\uD83D\uDE00";

    private static final String LAST_CODE_POINT = "\uDBFF\uDFFF";

    private final SaleChangeCodec codec = new SaleChangeCodec();

    private static SaleInput input(LocalDate date, String region, String product, int qty, String cost) {
        return new SaleInput(date, region, product, qty, new BigDecimal(cost));
    }

    /** The sale as the branch holds it after {@code version - 1} corrections. */
    private static Sale atVersion(Sale sale, long version) {
        return new Sale(
                sale.id(),
                sale.branchId(),
                sale.date(),
                sale.region(),
                sale.product(),
                sale.qty(),
                sale.cost(),
                sale.amt(),
                sale.tax(),
                sale.total(),
                version,
                sale.deleted());
    }

    static Stream<SaleInput> extremeInputs() {
        return Stream.of(
                input(
                        SaleValidator.LATEST_DATE,
                        FOUR_BYTES.repeat(SaleValidator.MAX_REGION_LENGTH),
                        LAST_CODE_POINT.repeat(SaleValidator.MAX_PRODUCT_LENGTH),
                        SaleValidator.MAX_QTY,
                        SaleValidator.MAX_COST.toPlainString()),
                input(
                        SaleValidator.EARLIEST_DATE,
                        "\"".repeat(SaleValidator.MAX_REGION_LENGTH),
                        "\\".repeat(SaleValidator.MAX_PRODUCT_LENGTH),
                        1,
                        "0"),
                input(SaleValidator.LATEST_DATE, "R", "P", SaleValidator.MAX_QTY, "0.01"),
                input(
                        SaleValidator.EARLIEST_DATE,
                        "\u20AC".repeat(SaleValidator.MAX_REGION_LENGTH),
                        "\uFFFF".repeat(SaleValidator.MAX_PRODUCT_LENGTH),
                        1,
                        SaleValidator.MAX_COST.toPlainString()));
    }

    /** Every change the branch can make of the sale, each at the sequence number equal to its version. */
    static Stream<SaleChange> extremeChanges() {
        List<SaleChange> changes = new ArrayList<>();
        for (TaxRate rate : List.of(TaxRate.of("1"), TaxRate.of("0.9999"), TaxRate.of("0"))) {
            extremeInputs().forEach(input -> {
                Sale created = Sale.create(ID, BRANCH, input, rate);
                changes.add(SaleChange.of(1, AT, created));
                changes.add(SaleChange.of(2, AT, created.revise(input, rate)));
                changes.add(SaleChange.of(2, AT, created.markDeleted()));
                changes.add(SaleChange.of(MAX, AT, atVersion(created, MAX - 1).revise(input, rate)));
                changes.add(SaleChange.of(MAX, AT, atVersion(created, MAX - 1).markDeleted()));
            });
        }
        return changes.stream();
    }

    @ParameterizedTest
    @MethodSource("extremeChanges")
    void theLargestSaleChangesTheBranchCanWriteAreAccepted(SaleChange change) throws MessageFormatException {
        byte[] body = codec.encode(change);

        SaleChange decoded = codec.decode(body);

        assertThat(decoded).isEqualTo(change);
        assertThat(SaleValidator.problemsOf(decoded.sale())).isEmpty();
        assertThat(decoded.sale().version()).isEqualTo(change.seq());
        assertThat(body.length)
                .as("a quarter of the limit at most")
                .isLessThanOrEqualTo(SaleChangeCodec.MAX_BODY_BYTES / 4);
    }

    @Test
    void theLargestAmountsTheBranchComputesStayWithinTheirColumns() throws MessageFormatException {
        Sale largest = Sale.create(
                ID,
                BRANCH,
                input(
                        SaleValidator.LATEST_DATE,
                        "R",
                        "P",
                        SaleValidator.MAX_QTY,
                        SaleValidator.MAX_COST.toPlainString()),
                TaxRate.of("1"));

        Sale decoded = codec.decode(codec.encode(SaleChange.of(1, AT, largest))).sale();

        assertThat(decoded.amt()).isEqualByComparingTo("99999999000.00");
        assertThat(decoded.total()).isEqualByComparingTo("199999998000.00").isLessThanOrEqualTo(Money.MAX_AMOUNT);
    }

    static Stream<BranchMessage> extremeBranchMessages() {
        BigDecimal checksumOfAll = BigDecimal.valueOf(MAX).multiply(BigDecimal.valueOf(SaleChecksum.MAX_CRC32));
        List<BranchMessage> messages = new ArrayList<>();
        for (String trigger : BranchCheckpoint.TRIGGERS) {
            messages.add(
                    new BranchCheckpoint(BRANCH, MAX, AT, new SaleChecksum.Figures(MAX, MAX, checksumOfAll), trigger));
            messages.add(
                    new BranchCheckpoint(BRANCH, MAX, AT, new SaleChecksum.Figures(MAX, 0, BigDecimal.ZERO), trigger));
            messages.add(new BranchCheckpoint(
                    BRANCH,
                    1,
                    AT,
                    new SaleChecksum.Figures(1, 1, BigDecimal.valueOf(SaleChecksum.MAX_CRC32)),
                    trigger));
            messages.add(new BranchCheckpoint(BRANCH, 1, AT, new SaleChecksum.Figures(0, 0, BigDecimal.ZERO), trigger));
        }
        for (ResyncMarker.Phase phase : ResyncMarker.Phase.values()) {
            messages.add(new ResyncMarker(BRANCH, MAX, AT, ID, phase, MAX));
            messages.add(new ResyncMarker(BRANCH, 1, AT, ID, phase, 0));
        }
        return messages.stream();
    }

    @ParameterizedTest
    @MethodSource("extremeBranchMessages")
    void checkpointsAndMarkersAtTheirBoundsAreAccepted(BranchMessage message) throws MessageFormatException {
        byte[] body = codec.encode(message);

        assertThat(codec.decodeMessage(body)).isEqualTo(message);
        assertThat(body.length).isLessThanOrEqualTo(SaleChangeCodec.MAX_BODY_BYTES / 4);
    }

    @Test
    void theChecksumOfTheMostRowsFitsItsColumn() {
        BigDecimal checksumOfAll = BigDecimal.valueOf(MAX).multiply(BigDecimal.valueOf(SaleChecksum.MAX_CRC32));

        assertThat(checksumOfAll.toPlainString()).hasSizeLessThanOrEqualTo(SaleChangeCodec.MAX_CHECKSUM_DIGITS);
    }
}
