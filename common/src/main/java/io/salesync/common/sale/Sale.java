package io.salesync.common.sale;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.UUID;

/**
 * One sale as stored at its branch and, once synchronised, at the head office.
 *
 * <p>A sale is identified by {@code (branchId, id)}: the UUID is made at the branch (time-ordered,
 * {@link SaleIds}), never a local auto-increment. {@code version} grows by one with every change; a
 * deletion is a new version with {@code deleted} set, so that a late, older change can never bring
 * the sale back.
 */
public record Sale(
        UUID id,
        String branchId,
        LocalDate date,
        String region,
        String product,
        int qty,
        BigDecimal cost,
        BigDecimal amt,
        BigDecimal tax,
        BigDecimal total,
        long version,
        boolean deleted) {

    public Sale {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(branchId, "branchId");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(amt, "amt");
        Objects.requireNonNull(tax, "tax");
        Objects.requireNonNull(total, "total");
    }

    /** A first version of a sale priced at the branch's tax rate. */
    public static Sale create(UUID id, String branchId, SaleInput input, TaxRate rate) {
        return priced(id, branchId, input, rate, 1, false);
    }

    /**
     * A first version of a sale whose tax is a fact of that sale (a sale imported with its own Tax,
     * charged at last year's rate or another country's): Total is Amt + that tax.
     */
    public static Sale createWithTax(UUID id, String branchId, SaleInput input, BigDecimal tax) {
        BigDecimal cost = Money.round(input.cost());
        BigDecimal amt = Money.amount(input.qty(), cost);
        BigDecimal roundedTax = Money.round(tax);
        return new Sale(
                id,
                branchId,
                input.date(),
                input.region(),
                input.product(),
                input.qty(),
                cost,
                amt,
                roundedTax,
                amt.add(roundedTax),
                1,
                false);
    }

    /** The next version of this sale with new content priced at the given rate. */
    public Sale revise(SaleInput input, TaxRate rate) {
        return priced(id, branchId, input, rate, version + 1, false);
    }

    /** The next version of this sale, marked deleted; its content is kept as it was. */
    public Sale markDeleted() {
        return new Sale(id, branchId, date, region, product, qty, cost, amt, tax, total, version + 1, true);
    }

    /** The clerk-facing fields of this sale. */
    public SaleInput input() {
        return new SaleInput(date, region, product, qty, cost);
    }

    private static Sale priced(UUID id, String branchId, SaleInput input, TaxRate rate, long version, boolean deleted) {
        BigDecimal cost = Money.round(input.cost());
        BigDecimal amt = Money.amount(input.qty(), cost);
        BigDecimal tax = Money.tax(amt, rate);
        return new Sale(
                id,
                branchId,
                input.date(),
                input.region(),
                input.product(),
                input.qty(),
                cost,
                amt,
                tax,
                amt.add(tax),
                version,
                deleted);
    }
}
