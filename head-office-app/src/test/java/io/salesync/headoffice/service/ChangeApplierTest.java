package io.salesync.headoffice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.headoffice.model.BranchProgress;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The pure parts of applying a batch: which change of each sale counts, and how far each branch got. */
class ChangeApplierTest {

    private static final UUID SALE_A = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    private static final UUID SALE_B = UUID.fromString("00000000-0000-4000-8000-00000000000b");
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final SaleInput INPUT =
            new SaleInput(LocalDate.of(2026, 11, 26), "North", "Widget", 1, new BigDecimal("1.00"));

    /** Change {@code seq} of {@code branchId}, carrying {@code sale} at {@code version}, made {@code seq} minutes past 09:00. */
    private static SaleChange change(String branchId, long seq, UUID sale, long version) {
        Sale created = Sale.create(sale, branchId, INPUT, TaxRate.of("0.08"));
        Sale atVersion = new Sale(
                sale,
                branchId,
                created.date(),
                created.region(),
                created.product(),
                created.qty(),
                created.cost(),
                created.amt(),
                created.tax(),
                created.total(),
                version,
                false);
        return SaleChange.of(seq, Instant.parse("2026-11-26T09:00:00Z").plusSeconds(60 * seq), atVersion);
    }

    @Test
    void olderVersionNeverOverwritesNewerWithinABatch() {
        SaleChange v3 = change("bo1", 3, SALE_A, 3);
        SaleChange v2 = change("bo1", 2, SALE_A, 2);

        assertThat(SaleWriter.newestPerSale(List.of(v3, v2))).containsExactly(v3);
    }

    @Test
    void newestVersionWinsWhateverTheArrivalOrder() {
        SaleChange v1 = change("bo1", 1, SALE_A, 1);
        SaleChange v2 = change("bo1", 2, SALE_A, 2);
        SaleChange v3 = change("bo1", 3, SALE_A, 3);

        assertThat(SaleWriter.newestPerSale(List.of(v1, v3, v2))).containsExactly(v3);
        assertThat(SaleWriter.newestPerSale(List.of(v2, v1, v3))).containsExactly(v3);
    }

    @Test
    void duplicateDeliveryCollapsesToOneChange() {
        SaleChange v1 = change("bo1", 1, SALE_A, 1);

        assertThat(SaleWriter.newestPerSale(List.of(v1, v1, v1))).containsExactly(v1);
    }

    @Test
    void differentSalesAreAllKeptInArrivalOrder() {
        SaleChange a = change("bo1", 1, SALE_A, 1);
        SaleChange b = change("bo1", 2, SALE_B, 1);

        assertThat(SaleWriter.newestPerSale(List.of(b, a))).containsExactly(b, a);
    }

    @Test
    void sameSaleIdAtTwoBranchesIsTwoSales() {
        SaleChange atBo1 = change("bo1", 1, SALE_A, 1);
        SaleChange atBo2 = change("bo2", 1, SALE_A, 5);

        assertThat(SaleWriter.newestPerSale(List.of(atBo1, atBo2))).containsExactly(atBo1, atBo2);
    }

    @Test
    void deletionIsKeptWhenItIsTheNewestVersion() {
        SaleChange created = change("bo1", 1, SALE_A, 1);
        SaleChange deleted = SaleChange.of(2, NOW, created.sale().markDeleted());

        assertThat(SaleWriter.newestPerSale(List.of(deleted, created))).containsExactly(deleted);
    }

    @Test
    void emptyBatchHasNothingToApply() {
        assertThat(SaleWriter.newestPerSale(List.of())).isEmpty();
        assertThat(BranchSequences.progressOf(List.of(), NOW)).isEmpty();
    }

    @Test
    void progressCountsEveryChangeAndKeepsTheHighestSequence() {
        List<SaleChange> batch =
                List.of(change("bo1", 5, SALE_A, 1), change("bo1", 7, SALE_B, 1), change("bo1", 6, SALE_A, 2));

        assertThat(BranchSequences.progressOf(batch, NOW))
                .containsExactly(new BranchProgress("bo1", 7, 3, batch.get(1).occurredAt(), NOW));
    }

    @Test
    void progressIsKeptPerBranch() {
        SaleChange bo1 = change("bo1", 10, SALE_A, 1);
        SaleChange bo2First = change("bo2", 3, SALE_B, 1);
        SaleChange bo2Second = change("bo2", 4, SALE_B, 2);

        assertThat(BranchSequences.progressOf(List.of(bo2First, bo1, bo2Second), NOW))
                .containsExactly(
                        new BranchProgress("bo2", 4, 2, bo2Second.occurredAt(), NOW),
                        new BranchProgress("bo1", 10, 1, bo1.occurredAt(), NOW));
    }

    @Test
    void duplicatesAreCountedAsAppliedChanges() {
        SaleChange once = change("bo1", 1, SALE_A, 1);

        assertThat(BranchSequences.progressOf(List.of(once, once), NOW))
                .extracting(BranchProgress::lastSeq, BranchProgress::appliedChanges)
                .containsExactly(tuple(1L, 2L));
    }
}
