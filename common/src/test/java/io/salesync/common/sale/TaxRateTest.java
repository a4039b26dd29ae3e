package io.salesync.common.sale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaxRateTest {

    @ParameterizedTest
    @CsvSource({"0.08, 8 %", "0.075, 7.5 %", "0.0825, 8.25 %", "0, 0 %", "1, 100 %", "0.080, 8 %"})
    void showsAsAPercentage(String fraction, String shown) {
        assertThat(TaxRate.of(fraction)).hasToString(shown);
    }

    @Test
    void percentIsExact() {
        assertThat(TaxRate.of("0.075").percent()).isEqualByComparingTo("7.5");
    }

    @Test
    void keepsTheFractionItWasGiven() {
        assertThat(TaxRate.of("0.075").value()).isEqualTo(new BigDecimal("0.075"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0.01", "1.01", "8"})
    void rateOutsideZeroToOneIsRefusedWithAHint(String fraction) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TaxRate.of(fraction))
                .withMessage("tax rate must be between 0 and 1 (0.08 means 8 %), was " + fraction);
    }

    @Test
    void moreThanFourDecimalsIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TaxRate.of("0.08125"))
                .withMessage("tax rate has more than four decimal places: 0.08125");
    }

    @Test
    void trailingZerosAreNotExtraDecimals() {
        assertThat(TaxRate.of("0.0800000").percent()).isEqualByComparingTo("8");
    }

    @Test
    void missingValueIsRefused() {
        assertThatNullPointerException().isThrownBy(() -> new TaxRate(null)).withMessage("value");
    }
}
