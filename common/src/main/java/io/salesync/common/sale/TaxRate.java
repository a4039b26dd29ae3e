package io.salesync.common.sale;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A branch's sales tax rate as a fraction: {@code 0.08} is 8 %.
 *
 * @param value the fraction, from 0 to 1 inclusive, with at most four decimal places
 */
public record TaxRate(BigDecimal value) {

    public TaxRate {
        Objects.requireNonNull(value, "value");
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("tax rate must be between 0 and 1 (0.08 means 8 %), was " + value);
        }
        if (value.stripTrailingZeros().scale() > 4) {
            throw new IllegalArgumentException("tax rate has more than four decimal places: " + value);
        }
    }

    public static TaxRate of(String fraction) {
        return new TaxRate(new BigDecimal(fraction));
    }

    /** The rate as a percentage for display, for example {@code 8} or {@code 7.5}. */
    public BigDecimal percent() {
        return value.movePointRight(2).stripTrailingZeros();
    }

    @Override
    public String toString() {
        return percent().toPlainString() + " %";
    }
}
