package io.salesync.branch.ui;

import static org.awaitility.Awaitility.await;

import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.testing.Sandbox;
import io.salesync.desktop.testing.GuiTesting;
import java.awt.Dimension;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.prefs.Preferences;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pictures in the README and docs/branch-office.md: the real window with a few sales of a
 * sandbox branch and a sale being typed, at the size the demo opens it beside the head office
 * (730x520 on a 1920x1080 screen), at 800x600, and in the dark theme. Written to the directory
 * named by {@code -Dsalesync.screenshots} (for example docs/images), else to target/screenshots.
 */
class BranchOfficeScreenshotIT {

    @BeforeAll
    static void display() throws Exception {
        GuiTesting.setUpOnce();
        // Start from the defaults (light theme, default size), whatever earlier tests remembered.
        Preferences.userRoot()
                .node(System.getProperty("salesync.preferences.root") + "/branch-office-bo1")
                .removeNode();
    }

    @Test
    void branchOfficeWindowWithSales() throws Exception {
        try (Sandbox sandbox = new Sandbox();
                BranchWindowHarness harness = new BranchWindowHarness(sandbox)) {
            BranchConfig config = harness.directConfig();
            LocalDate today = LocalDate.now();
            try (BranchOffice branch = BranchOffice.open(config, status -> {})) {
                for (SaleInput sale : List.of(
                        sale(today.minusDays(6), "North", "Copy paper A4, 500 sheets", 12, "4.90"),
                        sale(today.minusDays(5), "East", "Ballpoint pens, blue (10)", 30, "2.15"),
                        sale(today.minusDays(4), "South", "Stapler", 2, "11.40"),
                        sale(today.minusDays(3), "North", "Envelopes C5 (50)", 8, "3.75"),
                        sale(today.minusDays(2), "West", "Desk lamp LED", 1, "34.99"),
                        sale(today.minusDays(1), "East", "Copy paper A4, 500 sheets", 20, "4.90"),
                        sale(today, "South", "Sticky notes 76x76", 24, "1.25"),
                        sale(today, "West", "Whiteboard markers (4)", 6, "5.60"))) {
                    branch.saleService().create(sale);
                }
            }
            FrameFixture window = harness.open(config);
            GuiActionRunner.execute(() -> {
                window.target().setSize(new Dimension(730, 520));
                window.target().setLocation(0, 0);
            });
            harness.awaitReady();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> window.table("salesTable").rowCount() == 8
                            && harness.cell(0, SalesTableModel.SYNC).equals("synced")
                            && harness.cell(7, SalesTableModel.SYNC).equals("synced"));
            harness.typeSale(today.toString(), "North", "Copy paper A4, 500 sheets", "5", "4.90", false);
            window.table("salesTable").selectRows(1);
            harness.robot().waitForIdle();

            String directory = System.getProperty("salesync.screenshots");
            Path folder =
                    directory == null || directory.isBlank() ? Path.of("target", "screenshots") : Path.of(directory);
            GuiTesting.screenshot(window.target(), folder.resolve("branch-office.png"));

            GuiActionRunner.execute(() -> window.target().setSize(new Dimension(800, 600)));
            harness.robot().waitForIdle();
            await().pollDelay(Duration.ofMillis(500)).until(() -> true);
            GuiTesting.screenshot(window.target(), folder.resolve("branch-office-800x600.png"));

            window.menuItem("darkTheme").click();
            GuiActionRunner.execute(() -> window.target().setSize(new Dimension(1000, 600)));
            harness.robot().waitForIdle();
            await().pollDelay(Duration.ofMillis(500)).until(() -> true);
            GuiTesting.screenshot(window.target(), folder.resolve("branch-office-dark.png"));
            window.menuItem("lightTheme").click();
        }
    }

    private static SaleInput sale(LocalDate date, String region, String product, int qty, String cost) {
        return new SaleInput(date, region, product, qty, new BigDecimal(cost));
    }
}
