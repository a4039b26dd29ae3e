package io.salesync.headoffice.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.desktop.testing.GuiTesting;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.Health;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import javax.swing.JTable;
import org.assertj.swing.edt.GuiActionRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A branch closed with remove-branch shows as Closed in the health panel, its sales still in the
 * table; saved to {@code head-office-closed-branch.png} in {@code -Dsalesync.screenshots} (default
 * {@code target/}).
 */
class ClosedBranchScreenshotIT {

    private WindowHarness ho;

    @BeforeAll
    static void display() {
        GuiTesting.setUpOnce();
    }

    @AfterEach
    void close() {
        if (ho != null) {
            ho.close();
        }
    }

    @Test
    void aClosedBranchIsShownClosedWithItsSalesKept() throws Exception {
        ho = new WindowHarness("0,0,1190,800");
        Instant now = Instant.now();
        for (String branch : new String[] {"bo1", "bo3"}) {
            for (int i = 0; i < 3; i++) {
                ho.publish(
                        Sale.create(
                                UUID.randomUUID(),
                                branch,
                                new SaleInput(LocalDate.now(), "North", "Pen Set", 1 + i, new BigDecimal("12.50")),
                                WindowHarness.RATE),
                        now.minusSeconds(10 - i));
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ho.tableRows() == 6);
        ho.headOffice.registry().close("bo3", Instant.now());
        ho.headOffice.registry().open("bo4", "Harbour Street", Instant.now());
        // a new sale makes the window refresh, the health panel with it
        ho.publish(
                Sale.create(
                        UUID.randomUUID(),
                        "bo1",
                        new SaleInput(LocalDate.now(), "South", "Stapler", 2, new BigDecimal("8.99")),
                        WindowHarness.RATE),
                Instant.now());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> GuiActionRunner.execute(() -> {
                    JTable table = ho.fixture.table("branchHealth").target();
                    for (int row = 0; row < table.getRowCount(); row++) {
                        for (int column = 0; column < table.getColumnCount(); column++) {
                            if (table.getValueAt(row, column) instanceof BranchHealth health
                                    && health.health() == Health.CLOSED) {
                                return table.getRowCount() == 3;
                            }
                        }
                    }
                    return false;
                }));
        await().atMost(Duration.ofSeconds(20)).until(() -> ho.tableRows() == 7);
        ho.fixture.robot().waitForIdle();
        Path directory = Path.of(System.getProperty("salesync.screenshots", "target"));
        Path file = GuiTesting.screenshot(ho.frame(), directory.resolve("head-office-closed-branch.png"));
        assertThat(file).exists();
    }
}
