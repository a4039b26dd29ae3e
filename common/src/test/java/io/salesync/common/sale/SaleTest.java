package io.salesync.common.sale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SaleTest {

    private static final UUID ID = UUID.fromString("3f2b8c1e-7d4a-4e5b-9c6d-0a1b2c3d4e5f");
    private static final TaxRate RATE = TaxRate.of("0.08");
    private static final SaleInput THREE_WIDGETS =
            new SaleInput(LocalDate.of(2026, 11, 26), "North", "Widget", 3, new BigDecimal("12.50"));
    private static final SaleInput TWO_GADGETS =
            new SaleInput(LocalDate.of(2026, 11, 27), "South", "Gadget", 2, new BigDecimal("9.99"));

    @Test
    void createdSaleIsVersionOneAndLive() {
        Sale sale = Sale.create(ID, "bo1", THREE_WIDGETS, RATE);

        assertThat(sale.id()).isEqualTo(ID);
        assertThat(sale.branchId()).isEqualTo("bo1");
        assertThat(sale.version()).isEqualTo(1);
        assertThat(sale.deleted()).isFalse();
    }

    @Test
    void createdSaleIsPricedAtTheRate() {
        Sale sale = Sale.create(ID, "bo1", THREE_WIDGETS, RATE);

        assertThat(sale.amt()).isEqualTo(new BigDecimal("37.50"));
        assertThat(sale.tax()).isEqualTo(new BigDecimal("3.00"));
        assertThat(sale.total()).isEqualTo(new BigDecimal("40.50"));
    }

    @Test
    void costIsStoredWithTwoDecimals() {
        SaleInput wholeEuros = new SaleInput(THREE_WIDGETS.date(), "North", "Widget", 3, new BigDecimal("12.5"));

        assertThat(Sale.create(ID, "bo1", wholeEuros, RATE).cost()).isEqualTo(new BigDecimal("12.50"));
    }

    @Test
    void inputGivesBackTheClerkFields() {
        Sale sale = Sale.create(ID, "bo1", THREE_WIDGETS, RATE);

        assertThat(sale.input()).isEqualTo(THREE_WIDGETS);
    }

    @Test
    void revisionIsTheNextVersionWithNewContentRepriced() {
        Sale first = Sale.create(ID, "bo1", THREE_WIDGETS, RATE);

        Sale revised = first.revise(TWO_GADGETS, RATE);

        assertThat(revised.id()).isEqualTo(ID);
        assertThat(revised.branchId()).isEqualTo("bo1");
        assertThat(revised.version()).isEqualTo(2);
        assertThat(revised.input()).isEqualTo(TWO_GADGETS);
        assertThat(revised.amt()).isEqualTo(new BigDecimal("19.98"));
        assertThat(revised.tax()).isEqualTo(new BigDecimal("1.60"));
        assertThat(revised.total()).isEqualTo(new BigDecimal("21.58"));
    }

    @Test
    void revisionUsesTheRateItIsGiven() {
        Sale revised = Sale.create(ID, "bo1", THREE_WIDGETS, RATE).revise(THREE_WIDGETS, TaxRate.of("0.075"));

        assertThat(revised.tax()).isEqualTo(new BigDecimal("2.81"));
        assertThat(revised.total()).isEqualTo(new BigDecimal("40.31"));
    }

    @Test
    void revisionLeavesTheEarlierVersionUntouched() {
        Sale first = Sale.create(ID, "bo1", THREE_WIDGETS, RATE);

        first.revise(TWO_GADGETS, RATE);

        assertThat(first.version()).isEqualTo(1);
        assertThat(first.input()).isEqualTo(THREE_WIDGETS);
    }

    @Test
    void deletionIsANewVersionKeepingTheLastContent() {
        Sale revised = Sale.create(ID, "bo1", THREE_WIDGETS, RATE).revise(TWO_GADGETS, RATE);

        Sale deleted = revised.markDeleted();

        assertThat(deleted.version()).isEqualTo(3);
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.input()).isEqualTo(TWO_GADGETS);
        assertThat(deleted.total()).isEqualTo(revised.total());
    }

    @Test
    void missingFieldIsNamedInTheException() {
        assertThatNullPointerException()
                .isThrownBy(() -> new Sale(
                        ID,
                        "bo1",
                        THREE_WIDGETS.date(),
                        null,
                        "Widget",
                        3,
                        BigDecimal.ONE,
                        BigDecimal.ONE,
                        BigDecimal.ZERO,
                        BigDecimal.ONE,
                        1,
                        false))
                .withMessage("region");
    }
}
