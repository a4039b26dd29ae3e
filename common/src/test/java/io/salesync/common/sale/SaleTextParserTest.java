package io.salesync.common.sale;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SaleTextParserTest {

    private static SaleTextParser.Result parseDate(String date) {
        return SaleTextParser.parse(date, "North", "Widget", "3", "12.50");
    }

    private static SaleTextParser.Result parseQty(String qty) {
        return SaleTextParser.parse("2026-11-26", "North", "Widget", qty, "12.50");
    }

    private static SaleTextParser.Result parseCost(String cost) {
        return SaleTextParser.parse("2026-11-26", "North", "Widget", "3", cost);
    }

    private static SaleTextParser.Result parseProduct(String product) {
        return SaleTextParser.parse("2026-11-26", "North", product, "3", "12.50");
    }

    @Test
    void wellFormedFieldsGiveTheInput() {
        SaleTextParser.Result result = SaleTextParser.parse("2026-11-26", "North", "Widget", "3", "12.50");

        assertThat(result.ok()).isTrue();
        assertThat(result.input())
                .isEqualTo(new SaleInput(LocalDate.of(2026, 11, 26), "North", "Widget", 3, new BigDecimal("12.50")));
    }

    @ParameterizedTest
    @CsvSource({"2026-11-26, 2026-11-26", "11/26/2026, 2026-11-26", "1/5/2026, 2026-01-05", "01/05/2026, 2026-01-05"})
    void isoAndUsDatesAreRead(String typed, LocalDate expected) {
        assertThat(parseDate(typed).input().date()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30", "26.11.2026", "13/01/2026", "2/29/2026", "yesterday"})
    void invalidDateSaysWhichFormatsAreUnderstood(String typed) {
        assertThat(parseDate(typed).errors())
                .containsExactly(
                        new FieldError(SaleField.DATE, "'" + typed + "' is not a date: use 2026-11-26 or 11/26/2026"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5", "3 units"})
    void quantityThatIsNotAWholeNumberIsRejectedOnce(String typed) {
        assertThat(parseQty(typed).errors())
                .containsExactly(new FieldError(SaleField.QTY, "must be a whole number above 0, not '" + typed + "'"));
    }

    @Test
    void quantityZeroIsRejectedWithFieldMessage() {
        assertThat(parseQty("0").errors())
                .containsExactly(new FieldError(SaleField.QTY, "must be a whole number from 1 to 100000"));
    }

    @Test
    void costWithADecimalCommaIsRejectedWithAnExample() {
        assertThat(parseCost("12,50").errors())
                .containsExactly(new FieldError(SaleField.COST, "'12,50' is not a number: write it like 12.50"));
    }

    @Test
    void costWithThreeDecimalsIsRejected() {
        assertThat(parseCost("12.505").errors())
                .containsExactly(new FieldError(SaleField.COST, "must have at most two decimal places"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "He said \"bargain\"",
                "O'Brien's \"special\"",
                "'); DROP TABLE sale;--",
                "Café «A4» 東京",
                "<script>alert(1)</script>"
            })
    void textIsAcceptedUnchanged(String product) {
        SaleTextParser.Result result = parseProduct(product);

        assertThat(result.errors()).isEmpty();
        assertThat(result.input().product()).isEqualTo(product);
    }

    @Test
    void surroundingSpacesAreStripped() {
        SaleTextParser.Result result = SaleTextParser.parse(" 2026-11-26 ", "  North ", "\tWidget  ", " 3 ", " 12.50 ");

        assertThat(result.errors()).isEmpty();
        assertThat(result.input())
                .isEqualTo(new SaleInput(LocalDate.of(2026, 11, 26), "North", "Widget", 3, new BigDecimal("12.50")));
    }

    @Test
    void emptyFieldsAreReportedAsRequired() {
        SaleTextParser.Result result = SaleTextParser.parse("", " ", null, "", "  ");

        assertThat(result.ok()).isFalse();
        assertThat(result.errors())
                .extracting(FieldError::field)
                .containsExactly(SaleField.DATE, SaleField.REGION, SaleField.PRODUCT, SaleField.QTY, SaleField.COST);
    }

    @Test
    void errorsComeInColumnOrderWhateverTheirSource() {
        SaleTextParser.Result result = SaleTextParser.parse("2026-13-01", "", "Widget", "x", "-1");

        assertThat(result.errors())
                .extracting(FieldError::field)
                .containsExactly(SaleField.DATE, SaleField.REGION, SaleField.QTY, SaleField.COST);
    }

    @Test
    void moneyParserAddsNothingForAnEmptyCell() {
        List<FieldError> errors = new ArrayList<>();

        assertThat(SaleTextParser.parseMoney(SaleField.TAX, "  ", errors)).isNull();
        assertThat(errors).isEmpty();
    }
}
