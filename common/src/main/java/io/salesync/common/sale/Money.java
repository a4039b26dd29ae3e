package io.salesync.common.sale;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money arithmetic for sales: two decimal places, half-up rounding, never floating point. */
public final class Money {

    /** Decimal places of every amount stored or sent. */
    public static final int SCALE = 2;

    /** Digits before the point of the widest money column, DECIMAL(14,2): no money value has more. */
    public static final int MAX_INTEGER_DIGITS = 12;

    /** Largest amount a DECIMAL(14,2) column holds. */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");

    private Money() {}

    /** Rounds to cents, half-up, as a till does. */
    public static BigDecimal round(BigDecimal value) {
        return value.setScale(SCALE, RoundingMode.HALF_UP);
    }

    /** {@code qty x cost}, rounded to cents. */
    public static BigDecimal amount(int qty, BigDecimal unitCost) {
        return round(unitCost.multiply(BigDecimal.valueOf(qty)));
    }

    /** Tax on an amount at a rate such as 0.08, rounded to cents. */
    public static BigDecimal tax(BigDecimal amount, TaxRate rate) {
        return round(amount.multiply(rate.value()));
    }

    /** True when the value has no more than two decimal places once trailing zeros are dropped. */
    public static boolean hasCentPrecision(BigDecimal value) {
        return value.stripTrailingZeros().scale() <= SCALE;
    }
}
