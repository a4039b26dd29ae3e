package io.salesync.branch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.branch.persistence.SaleRepository.SaleWithOutboxState;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SalesQueriesTest {

    private final Sale sale = Sale.create(
            UUID.randomUUID(),
            "bo1",
            new SaleInput(LocalDate.of(2026, 11, 26), "North", "Paper", 3, new BigDecimal("2.50")),
            TaxRate.of("0.08"));

    @Test
    void confirmedVersionIsSyncedEvenIfAnEarlierAttemptFailed() {
        SaleRow row = SalesQueries.row(new SaleWithOutboxState(sale, true, null));

        assertThat(row.sync()).isEqualTo(SaleRow.Sync.SYNCED);
        assertThat(row.syncText()).isEqualTo("synced");
    }

    @Test
    void unconfirmedVersionIsPendingUntilAnAttemptFails() {
        assertThat(SalesQueries.row(new SaleWithOutboxState(sale, false, null)).syncText())
                .isEqualTo("pending");
        assertThat(SalesQueries.row(new SaleWithOutboxState(sale, false, " ")).syncText())
                .isEqualTo("pending");
    }

    @Test
    void failedAttemptShowsItsReason() {
        SaleRow row = SalesQueries.row(new SaleWithOutboxState(sale, false, "no confirm for change 4 within 3000 ms"));

        assertThat(row.sync()).isEqualTo(SaleRow.Sync.FAILED);
        assertThat(row.syncText()).isEqualTo("failed: no confirm for change 4 within 3000 ms");
    }
}
