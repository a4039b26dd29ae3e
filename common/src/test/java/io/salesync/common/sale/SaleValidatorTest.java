package io.salesync.common.sale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SaleValidatorTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 26);
    private static final SaleInput VALID = new SaleInput(DAY, "North", "Widget", 3, new BigDecimal("12.50"));

    private static SaleInput withDate(LocalDate date) {
        return new SaleInput(date, VALID.region(), VALID.product(), VALID.qty(), VALID.cost());
    }

    private static SaleInput withRegion(String region) {
        return new SaleInput(VALID.date(), region, VALID.product(), VALID.qty(), VALID.cost());
    }

    private static SaleInput withProduct(String product) {
        return new SaleInput(VALID.date(), VALID.region(), product, VALID.qty(), VALID.cost());
    }

    private static SaleInput withQty(Integer qty) {
        return new SaleInput(VALID.date(), VALID.region(), VALID.product(), qty, VALID.cost());
    }

    private static SaleInput withCost(String cost) {
        return new SaleInput(
                VALID.date(), VALID.region(), VALID.product(), VALID.qty(), cost == null ? null : new BigDecimal(cost));
    }

    @Nested
    class RequiredFields {

        @Test
        void validInputHasNoErrors() {
            assertThat(SaleValidator.validate(VALID)).isEmpty();
        }

        @Test
        void emptyInputReportsEveryMissingFieldInColumnOrder() {
            List<FieldError> errors = SaleValidator.validate(new SaleInput(null, null, null, null, null));

            assertThat(errors)
                    .extracting(FieldError::field)
                    .containsExactly(
                            SaleField.DATE, SaleField.REGION, SaleField.PRODUCT, SaleField.QTY, SaleField.COST);
            assertThat(errors)
                    .extracting(FieldError::toString)
                    .containsExactly(
                            "Date: is required (for example 2026-11-26)",
                            "Region: is required",
                            "Product: is required",
                            "Qty: is required: a whole number above 0",
                            "Cost: is required: the unit cost, for example 12.50");
        }

        @Test
        void blankTextCountsAsMissing() {
            assertThat(SaleValidator.validate(withRegion("   ")))
                    .containsExactly(new FieldError(SaleField.REGION, "is required"));
        }

        @Test
        void requireThrowsWithEveryErrorNotOnlyTheFirst() {
            SaleInput twoProblems = new SaleInput(DAY, null, "Widget", 0, new BigDecimal("12.50"));

            assertThatThrownBy(() -> SaleValidator.require(twoProblems))
                    .isInstanceOfSatisfying(
                            ValidationException.class,
                            e -> assertThat(e.errors())
                                    .extracting(FieldError::field)
                                    .containsExactly(SaleField.REGION, SaleField.QTY))
                    .hasMessage("Region: is required; Qty: must be a whole number from 1 to 100000");
        }

        @Test
        void requireAcceptsValidInput() throws ValidationException {
            SaleValidator.require(VALID);
        }
    }

    @Nested
    class Quantity {

        @ParameterizedTest
        @ValueSource(ints = {0, -1, 100_001, Integer.MIN_VALUE})
        void quantityOutsideOneToMaxIsRejectedWithFieldMessage(int qty) {
            assertThat(SaleValidator.validate(withQty(qty)))
                    .containsExactly(new FieldError(SaleField.QTY, "must be a whole number from 1 to 100000"));
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 100_000})
        void quantityAtTheBoundsIsAccepted(int qty) {
            assertThat(SaleValidator.validate(withQty(qty))).isEmpty();
        }
    }

    @Nested
    class Cost {

        @Test
        void negativeCostIsRejected() {
            assertThat(SaleValidator.validate(withCost("-0.01")))
                    .containsExactly(new FieldError(SaleField.COST, "cannot be negative"));
        }

        @Test
        void freeItemIsAccepted() {
            assertThat(SaleValidator.validate(withCost("0.00"))).isEmpty();
        }

        @Test
        void costAboveTheMaximumIsRejected() {
            assertThat(SaleValidator.validate(withCost("1000000.00")))
                    .containsExactly(new FieldError(SaleField.COST, "must be at most 999999.99"));
        }

        @Test
        void costAtTheMaximumIsAccepted() {
            assertThat(SaleValidator.validate(withCost("999999.99"))).isEmpty();
        }

        @Test
        void moreThanTwoDecimalsIsRejected() {
            assertThat(SaleValidator.validate(withCost("12.505")))
                    .containsExactly(new FieldError(SaleField.COST, "must have at most two decimal places"));
        }

        @Test
        void trailingZerosBeyondCentsAreNotExtraPrecision() {
            assertThat(SaleValidator.validate(withCost("12.5000"))).isEmpty();
        }
    }

    @Nested
    class Text {

        @Test
        void regionLengthIsCountedInCodePointsNotChars() {
            String sixtyFourEmoji = "\uD83D\uDE00".repeat(SaleValidator.MAX_REGION_LENGTH);
            assertThat(sixtyFourEmoji).hasSize(128);

            assertThat(SaleValidator.validate(withRegion(sixtyFourEmoji))).isEmpty();
        }

        @Test
        void regionOneCodePointTooLongIsRejected() {
            assertThat(SaleValidator.validate(withRegion("r".repeat(SaleValidator.MAX_REGION_LENGTH + 1))))
                    .containsExactly(new FieldError(SaleField.REGION, "must be at most 64 characters"));
        }

        @Test
        void productLengthIsCountedInCodePoints() {
            String cjk = "\uD840\uDC0B".repeat(SaleValidator.MAX_PRODUCT_LENGTH);

            assertThat(SaleValidator.validate(withProduct(cjk))).isEmpty();
            assertThat(SaleValidator.validate(withProduct(cjk + "x")))
                    .containsExactly(new FieldError(SaleField.PRODUCT, "must be at most 128 characters"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Wid\tget", "Wid\nget", "Wid\rget", "Wid\u0000get", "Wid\u007Fget"})
        void controlCharactersAreRejected(String product) {
            assertThat(SaleValidator.validate(withProduct(product)))
                    .containsExactly(new FieldError(
                            SaleField.PRODUCT, "must not contain control characters such as tabs or line breaks"));
        }

        @ParameterizedTest
        @ValueSource(strings = {" North", "North ", "\u2003North"})
        void leadingOrTrailingSpacesAreRejected(String region) {
            assertThat(SaleValidator.validate(withRegion(region)))
                    .containsExactly(new FieldError(SaleField.REGION, "must not start or end with spaces"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Wid\uD800get", "Wid\uDC00get", "Widget\uD83D", "\uDE00Widget", "\uDE00\uD83D"})
        void halfOfASurrogatePairIsRejectedRatherThanStoredAsAQuestionMark(String product) {
            assertThat(SaleValidator.validate(withProduct(product)))
                    .containsExactly(new FieldError(
                            SaleField.PRODUCT,
                            "holds a broken character (half of a UTF-16 surrogate pair) that cannot be stored"));
        }

        @Test
        void quotesSqlAndNonLatinTextAreOrdinaryText() {
            assertThat(SaleValidator.validate(withProduct("'); DROP TABLE sale;--")))
                    .isEmpty();
            assertThat(SaleValidator.validate(withRegion("Café «A4» 東京"))).isEmpty();
        }
    }

    @Nested
    class Dates {

        @ParameterizedTest
        @ValueSource(strings = {"1969-12-31", "2100-01-01", "0001-01-01"})
        void dateOutOfRangeIsRejected(String date) {
            assertThat(SaleValidator.validate(withDate(LocalDate.parse(date))))
                    .containsExactly(new FieldError(SaleField.DATE, "must be between 1970-01-01 and 2099-12-31"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"1970-01-01", "2099-12-31"})
        void datesAtTheBoundsAreAccepted(String date) {
            assertThat(SaleValidator.validate(withDate(LocalDate.parse(date)))).isEmpty();
        }
    }

    @Nested
    class BranchIds {

        @ParameterizedTest
        @ValueSource(strings = {"bo1", "north-2", "b_3", "0", "abcdefghijklmnopqrstuvwxyz012345"})
        void lowerCaseLettersDigitsDashAndUnderscoreAreValid(String id) {
            assertThat(SaleValidator.isValidBranchId(id)).isTrue();
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(
                strings = {"", "BO1", "-bo1", "_bo1", "bo 1", "bo.1", "bo1\n", "abcdefghijklmnopqrstuvwxyz0123456"})
        void anythingElseIsInvalid(String id) {
            assertThat(SaleValidator.isValidBranchId(id)).isFalse();
        }
    }

    @Nested
    class ArrivingSales {

        private static final UUID ID = UUID.fromString("3f2b8c1e-7d4a-4e5b-9c6d-0a1b2c3d4e5f");

        private Sale sale(String branchId, String amt, String tax, String total, long version) {
            return new Sale(
                    ID,
                    branchId,
                    DAY,
                    "North",
                    "Widget",
                    3,
                    new BigDecimal("12.50"),
                    new BigDecimal(amt),
                    new BigDecimal(tax),
                    new BigDecimal(total),
                    version,
                    false);
        }

        @Test
        void correctlyPricedSaleHasNoProblems() {
            assertThat(SaleValidator.problemsOf(sale("bo1", "37.50", "3.00", "40.50", 1)))
                    .isEmpty();
        }

        @Test
        void salePricedByCreateHasNoProblems() {
            Sale created = Sale.create(ID, "bo1", VALID, TaxRate.of("0.075"));

            assertThat(SaleValidator.problemsOf(created)).isEmpty();
        }

        @Test
        void amountThatIsNotQtyTimesCostIsReported() {
            assertThat(SaleValidator.problemsOf(sale("bo1", "38.00", "3.00", "41.00", 1)))
                    .containsExactly("Amt 38.00 is not Qty x Cost");
        }

        @Test
        void totalThatIsNotAmountPlusTaxIsReported() {
            assertThat(SaleValidator.problemsOf(sale("bo1", "37.50", "3.00", "40.00", 1)))
                    .containsExactly("Total 40.00 is not Amt + Tax");
        }

        @Test
        void negativeTaxIsReported() {
            assertThat(SaleValidator.problemsOf(sale("bo1", "37.50", "-1.00", "36.50", 1)))
                    .containsExactly("Tax -1.00 is not between 0 and Amt");
        }

        @Test
        void taxAboveTheAmountIsReported() {
            assertThat(SaleValidator.problemsOf(sale("bo1", "37.50", "37.51", "75.01", 1)))
                    .containsExactly("Tax 37.51 is not between 0 and Amt");
        }

        @Test
        void taxEqualToTheAmountIsWithinRange() {
            assertThat(SaleValidator.problemsOf(sale("bo1", "37.50", "37.50", "75.00", 1)))
                    .isEmpty();
        }

        @Test
        void invalidBranchIdIsReported() {
            assertThat(SaleValidator.problemsOf(sale("BO 1", "37.50", "3.00", "40.50", 1)))
                    .containsExactly("branch id 'BO 1' is not a valid branch id");
        }

        @Test
        void versionBelowOneIsReported() {
            assertThat(SaleValidator.problemsOf(sale("bo1", "37.50", "3.00", "40.50", 0)))
                    .containsExactly("version must be 1 or more, was 0");
        }

        @Test
        void subCentAmountIsReported() {
            assertThat(SaleValidator.problemsOf(sale("bo1", "37.505", "3.00", "40.505", 1)))
                    .containsExactly("amount 37.505 is not a cent amount within range");
        }

        @Test
        void amountBeyondTheColumnRangeIsReported() {
            assertThat(SaleValidator.problemsOf(sale("bo1", "37.50", "3.00", "1000000000000.00", 1)))
                    .containsExactly("amount 1000000000000.00 is not a cent amount within range");
        }

        @Test
        void hugeExponentIsQuotedAsSentNeverExpandedToItsDigits() {
            assertThat(SaleValidator.problemsOf(sale("bo1", "37.50", "3.00", "1E+999999999", 1)))
                    .containsExactly("amount 1E+999999999 is not a cent amount within range");
        }

        @Test
        void tinyAmountIsQuotedInScientificNotation() {
            assertThat(SaleValidator.problemsOf(sale("bo1", "1E-999999999", "3.00", "40.50", 1)))
                    .containsExactly("amount 1E-999999999 is not a cent amount within range");
        }

        @Test
        void longAmountIsCutInTheProblem() {
            assertThat(SaleValidator.problemsOf(sale("bo1", "37.50", "3.00", "9".repeat(4000), 1)))
                    .containsExactly("amount " + "9".repeat(37) + "... is not a cent amount within range");
        }

        @Test
        void clerkRuleViolationsAreReportedWithTheColumnLabel() {
            Sale zeroQty = new Sale(
                    ID,
                    "bo1",
                    DAY,
                    "North",
                    "Widget",
                    0,
                    new BigDecimal("12.50"),
                    new BigDecimal("0.00"),
                    new BigDecimal("0.00"),
                    new BigDecimal("0.00"),
                    1,
                    false);

            assertThat(SaleValidator.problemsOf(zeroQty))
                    .containsExactly("Qty: must be a whole number from 1 to 100000");
        }
    }
}
