package io.salesync.headoffice.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.headoffice.model.DailyDelta;
import io.salesync.headoffice.model.SaleKey;
import io.salesync.headoffice.model.StoredSale;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DailyDeltasTest {

    private static final TaxRate RATE = TaxRate.of("0.10");
    private static final LocalDate DAY = LocalDate.of(2026, 11, 26);

    @Test
    void aNewSaleAddsItsLine() {
        Sale sale = sale(2, "10.00");
        assertThat(SaleWriter.dailyDeltas(List.of(change(sale)), Map.of()))
                .containsExactly(new DailyDelta(
                        "bo1",
                        DAY,
                        "North",
                        1,
                        2,
                        new BigDecimal("20.00"),
                        new BigDecimal("2.00"),
                        new BigDecimal("22.00")));
    }

    @Test
    void aCorrectionMovesTheSaleFromItsOldLineToItsNewOne() {
        Sale v1 = sale(2, "10.00");
        Sale v2 = v1.revise(new SaleInput(DAY.plusDays(1), "North", "Pen", 3, new BigDecimal("10.00")), RATE);
        List<DailyDelta> deltas = List.copyOf(SaleWriter.dailyDeltas(List.of(change(v2)), Map.of(key(v1), stored(v1))));
        assertThat(deltas)
                .containsExactly(
                        new DailyDelta(
                                "bo1",
                                DAY,
                                "North",
                                -1,
                                -2,
                                new BigDecimal("-20.00"),
                                new BigDecimal("-2.00"),
                                new BigDecimal("-22.00")),
                        new DailyDelta(
                                "bo1",
                                DAY.plusDays(1),
                                "North",
                                1,
                                3,
                                new BigDecimal("30.00"),
                                new BigDecimal("3.00"),
                                new BigDecimal("33.00")));
    }

    @Test
    void aDeleteTakesTheSaleOutAndAnOlderOrRepeatedChangeDoesNothing() {
        Sale v1 = sale(2, "10.00");
        Sale deleted = v1.markDeleted();
        assertThat(SaleWriter.dailyDeltas(List.of(change(deleted)), Map.of(key(v1), stored(v1))))
                .containsExactly(new DailyDelta(
                        "bo1",
                        DAY,
                        "North",
                        -1,
                        -2,
                        new BigDecimal("-20.00"),
                        new BigDecimal("-2.00"),
                        new BigDecimal("-22.00")));
        assertThat(SaleWriter.dailyDeltas(List.of(change(v1)), Map.of(key(v1), stored(deleted))))
                .isEmpty();
        assertThat(SaleWriter.dailyDeltas(List.of(change(v1)), Map.of(key(v1), stored(v1))))
                .isEmpty();
    }

    private static Sale sale(int qty, String cost) {
        return Sale.create(
                UUID.randomUUID(), "bo1", new SaleInput(DAY, "North", "Pen", qty, new BigDecimal(cost)), RATE);
    }

    private static SaleChange change(Sale sale) {
        return SaleChange.of(sale.version(), Instant.parse("2026-11-26T10:00:00Z"), sale);
    }

    private static SaleKey key(Sale sale) {
        return new SaleKey("bo1", sale.id());
    }

    private static StoredSale stored(Sale sale) {
        return new StoredSale(
                sale.version(),
                sale.deleted(),
                sale.date(),
                sale.region(),
                sale.qty(),
                sale.amt(),
                sale.tax(),
                sale.total());
    }
}
