package io.salesync.common.sale;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {

    private static final TaxRate EIGHT_PERCENT = TaxRate.of("0.08");
    private static final TaxRate SEVEN_AND_A_HALF_PERCENT = TaxRate.of("0.075");
    private static final List<Class<?>> FLOATING_POINT = List.of(double.class, float.class, Double.class, Float.class);

    private static BigDecimal money(String value) {
        return new BigDecimal(value);
    }

    @ParameterizedTest
    @CsvSource({"0.125, 0.13", "0.124, 0.12", "0.135, 0.14", "2.345, 2.35", "-0.125, -0.13", "7, 7.00"})
    void roundsHalfUpToCents(String value, String expected) {
        assertThat(Money.round(money(value))).isEqualTo(money(expected));
    }

    @Test
    void roundingIsExactWhereDoubleArithmeticWouldGoWrong() {
        double viaDouble = Math.round(1.005 * 100) / 100.0;
        assertThat(viaDouble).isEqualTo(1.0);

        assertThat(Money.round(money("1.005"))).isEqualTo(money("1.01"));
    }

    @ParameterizedTest
    @CsvSource({
        "3, 12.50, 37.50",
        "1, 0.10, 0.10",
        "7, 0.10, 0.70",
        "3, 0.33, 0.99",
        "100000, 999999.99, 99999999000.00"
    })
    void amountIsQtyTimesCostInCents(int qty, String cost, String expected) {
        assertThat(Money.amount(qty, money(cost))).isEqualTo(money(expected));
    }

    @ParameterizedTest
    @CsvSource({"37.50, 3.00", "10.01, 0.80", "10.07, 0.81", "0.06, 0.00", "0.07, 0.01", "0.00, 0.00"})
    void taxAtEightPercentIsRoundedToCents(String amount, String expected) {
        assertThat(Money.tax(money(amount), EIGHT_PERCENT)).isEqualTo(money(expected));
    }

    @ParameterizedTest
    @CsvSource({"10.00, 0.75", "10.10, 0.76", "0.60, 0.05", "0.20, 0.02", "0.06, 0.00", "37.50, 2.81"})
    void taxAtSevenAndAHalfPercentRoundsHalfUpNotHalfEven(String amount, String expected) {
        assertThat(Money.tax(money(amount), SEVEN_AND_A_HALF_PERCENT)).isEqualTo(money(expected));
    }

    @ParameterizedTest
    @CsvSource({"12, true", "12.5, true", "12.50, true", "12.500, true", "1E+3, true", "12.505, false", "0.001, false"})
    void centPrecisionIgnoresTrailingZeros(String value, boolean expected) {
        assertThat(Money.hasCentPrecision(money(value))).isEqualTo(expected);
    }

    @Test
    void moneyMethodsNeitherTakeNorReturnFloatingPoint() {
        for (Method method : Money.class.getDeclaredMethods()) {
            Stream.concat(Stream.of(method.getReturnType()), Arrays.stream(method.getParameterTypes()))
                    .forEach(type ->
                            assertThat(FLOATING_POINT).as(method.toString()).doesNotContain(type));
        }
    }

    @Test
    void saleHoldsNoFloatingPointField() {
        assertThat(Sale.class.getRecordComponents())
                .extracting(RecordComponent::getType)
                .doesNotContainAnyElementsOf(FLOATING_POINT);
        assertThat(SaleInput.class.getRecordComponents())
                .extracting(RecordComponent::getType)
                .doesNotContainAnyElementsOf(FLOATING_POINT);
        assertThat(TaxRate.class.getRecordComponents())
                .extracting(RecordComponent::getType)
                .doesNotContainAnyElementsOf(FLOATING_POINT);
    }
}
