package io.salesync.headoffice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleIds;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.common.testing.Sandbox;
import io.salesync.headoffice.service.ChangeApplier;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * New sales are inserted without a locking read first; when one of them is stored already, the
 * whole batch is applied the careful way instead, and nothing is counted twice.
 */
class NewSalesInsertIT {

    private static final TaxRate RATE = TaxRate.of("0.10");

    private final Sandbox sandbox = new Sandbox();
    private final SaleIds ids = new SaleIds(Clock.systemUTC());
    private DataSource dataSource;
    private ChangeApplier applier;
    private long seq;

    private MigratedApplier schema;

    @BeforeEach
    void migrate() {
        schema = new MigratedApplier(sandbox);
        dataSource = schema.dataSource();
        applier = schema.applier();
    }

    @AfterEach
    void tearDown() {
        schema.close();
        sandbox.close();
    }

    @Test
    void aStoredSaleInASmallBatchSentInOneRoundTripSendsItTheCarefulWay() throws Exception {
        List<SaleChange> first = newSales(3);
        applier.apply(first, List.of());
        List<SaleChange> second = newSales(2);
        second.add(1, first.get(1)); // redelivered
        Sale corrected = first.get(2).sale().revise(input(4), RATE);
        second.add(SaleChange.of(++seq, Instant.now(), corrected));

        applier.apply(second, List.of());

        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM sale")).isEqualTo(5);
        assertThat(sandbox.count(
                        "ho",
                        "SELECT qty FROM sale WHERE sale_id = ?",
                        corrected.id().toString()))
                .isEqualTo(4);
        assertThat(sandbox.count("ho", "SELECT SUM(sales) FROM sale_daily")).isEqualTo(5);
        assertThat(DailySummary.stored(dataSource)).isEqualTo(DailySummary.recomputed(dataSource));
        assertThat(sandbox.count("ho", "SELECT last_seq FROM branch_progress WHERE branch_id = 'bo1'"))
                .isEqualTo(seq);
        assertThat(sandbox.count("ho", "SELECT applied_changes FROM branch_progress WHERE branch_id = 'bo1'"))
                .as("the redelivered change was applied before, and is not again")
                .isEqualTo(6);
    }

    @Test
    void aBatchOfNewSalesIsStoredAndSummedOnce() throws Exception {
        List<SaleChange> batch = newSales(250);

        applier.apply(batch, List.of());

        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM sale")).isEqualTo(250);
        assertThat(DailySummary.stored(dataSource))
                .isEqualTo(DailySummary.recomputed(dataSource))
                .isNotEmpty();
        assertThat(sandbox.count("ho", "SELECT last_seq FROM branch_progress WHERE branch_id = 'bo1'"))
                .isEqualTo(seq);
    }

    @Test
    void aStoredSaleInTheThirdStatementSendsTheWholeBatchTheCarefulWay() throws Exception {
        List<SaleChange> first = newSales(10);
        applier.apply(first, List.of());
        List<SaleChange> second = newSales(250);
        // rows 0-199 go in the first two statements; the redelivered sale sits in the third
        second.add(230, first.get(3));

        applier.apply(second, List.of());
        applier.apply(second.subList(0, 120), List.of()); // and all of it again: nothing changes

        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM sale")).isEqualTo(260);
        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM sale WHERE version <> 1"))
                .isZero();
        assertThat(DailySummary.stored(dataSource)).isEqualTo(DailySummary.recomputed(dataSource));
        assertThat(sandbox.count("ho", "SELECT SUM(sales) FROM sale_daily")).isEqualTo(260);
    }

    @Test
    void aNewSaleAndItsCorrectionInOneBatchLeaveTheCorrection() throws Exception {
        List<SaleChange> batch = newSales(150);
        Sale corrected = batch.get(140).sale().revise(input(7), RATE);
        batch.add(SaleChange.of(++seq, Instant.now(), corrected));
        Sale deleted = batch.get(20).sale().markDeleted();
        batch.add(SaleChange.of(++seq, Instant.now(), deleted));

        applier.apply(batch, List.of());

        assertThat(sandbox.count(
                        "ho",
                        "SELECT version FROM sale WHERE sale_id = ?",
                        corrected.id().toString()))
                .isEqualTo(2);
        assertThat(sandbox.count(
                        "ho",
                        "SELECT qty FROM sale WHERE sale_id = ?",
                        corrected.id().toString()))
                .isEqualTo(7);
        assertThat(sandbox.count(
                        "ho",
                        "SELECT deleted FROM sale WHERE sale_id = ?",
                        deleted.id().toString()))
                .isEqualTo(1);
        assertThat(sandbox.count("ho", "SELECT SUM(sales) FROM sale_daily")).isEqualTo(149);
        assertThat(DailySummary.stored(dataSource)).isEqualTo(DailySummary.recomputed(dataSource));
    }

    private List<SaleChange> newSales(int count) {
        List<SaleChange> changes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            changes.add(SaleChange.of(++seq, Instant.now(), Sale.create(ids.next(), "bo1", input(1 + i % 5), RATE)));
        }
        return changes;
    }

    private static SaleInput input(int qty) {
        return new SaleInput(
                LocalDate.of(2026, 12, 1 + qty % 3),
                qty % 2 == 0 ? "North" : "South",
                "Item",
                qty,
                new BigDecimal("12.34"));
    }
}
