package io.salesync.headoffice.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.desktop.testing.GuiTesting;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.assertj.swing.edt.GuiActionRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fills a sandbox with ten days of both branches' sales (a deletion, two refused messages), opens
 * the real window at the size the demo gives it on a 1920x1080 screen (1190x1040) and saves what
 * the screen shows to {@code head-office.png}, then at 800x600 ({@code head-office-800x600.png})
 * and in the dark theme ({@code head-office-dark.png}); then 200 branches with two of them picked in
 * the branch filter and a search typed in its popup ({@code head-office-200-branches.png}); all in the directory named by
 * {@code -Dsalesync.screenshots} (default {@code target/}). docs/head-office.md gives the command
 * that refreshes docs/images.
 */
class HeadOfficeScreenshotIT {

    private static final List<String> REGIONS = List.of("North", "South", "East", "West");
    private static final List<String[]> PRODUCTS = List.of(
            new String[] {"Pen Set", "12.50"},
            new String[] {"Stapler", "8.99"},
            new String[] {"Paper A4 (500)", "4.25"},
            new String[] {"Desk Lamp", "29.90"},
            new String[] {"Notebook", "3.20"},
            new String[] {"Office Chair", "149.00"},
            new String[] {"Ink Cartridge", "24.75"},
            new String[] {"Whiteboard", "59.00"});

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
    void theWindowWithBothBranchesData() throws Exception {
        ho = new WindowHarness("0,0,1190,1040");
        Random random = new Random(42);
        LocalDate today = LocalDate.now();
        Instant now = Instant.now();
        int sales = 0;
        for (int day = 9; day >= 0; day--) {
            for (String branch : List.of("bo1", "bo2")) {
                int perDay = 2 + random.nextInt(branch.equals("bo1") ? 4 : 3);
                for (int i = 0; i < perDay; i++) {
                    String[] product = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
                    Sale sale = Sale.create(
                            UUID.randomUUID(),
                            branch,
                            new SaleInput(
                                    today.minusDays(day),
                                    REGIONS.get(random.nextInt(REGIONS.size())),
                                    product[0],
                                    1 + random.nextInt(12),
                                    new BigDecimal(product[1])),
                            WindowHarness.RATE);
                    // bo2's newest change was made two minutes before bo1's (branch clock)
                    Instant at = branch.equals("bo2") && day == 0
                            ? now.minusSeconds(120)
                            : now.minusSeconds(day * 86_400L + 5 - i);
                    ho.publish(sale, at);
                    sales++;
                    if (day == 3 && i == 0) {
                        ho.publish(sale.markDeleted(), at.plusSeconds(5));
                        sales--;
                    }
                }
            }
        }
        ho.publishRaw(
                "sales.bo2",
                "{\"schemaVersion\":2,\"type\":\"sale.changed\"}".getBytes(StandardCharsets.UTF_8),
                "bo2:977");
        ho.publishRaw("sales.bo1", "not json at all".getBytes(StandardCharsets.UTF_8), "bo1:1203");
        int expected = sales;
        await().atMost(Duration.ofSeconds(20)).until(() -> ho.tableRows() == expected);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> GuiActionRunner.execute(() -> ho.frame().model().generation() > 1
                        && ho.fixture.table("branchHealth").target().getRowCount() == 2
                        && ho.fixture.tabbedPane("tabs").target().getTitleAt(1).equals("Dead letters (2)")));
        ho.fixture.table("salesTable").selectRows(2);
        ho.fixture.table("branchHealth").selectRows(1); // bo2, read in full under the table
        ho.fixture.robot().waitForIdle(); // let the last repaint land before the capture

        Path directory = Path.of(System.getProperty("salesync.screenshots", "target"));
        Path file = GuiTesting.screenshot(ho.frame(), directory.resolve("head-office.png"));
        assertThat(Files.size(file)).isPositive();

        GuiActionRunner.execute(() -> ho.frame().setSize(800, 600));
        settle();
        GuiTesting.screenshot(ho.frame(), directory.resolve("head-office-800x600.png"));

        ho.fixture.menuItem("theme.DARK").click();
        GuiActionRunner.execute(() -> ho.frame().setSize(1190, 800));
        settle();
        GuiTesting.screenshot(ho.frame(), directory.resolve("head-office-dark.png"));
        ho.fixture.menuItem("theme.LIGHT").click();
    }

    @Test
    void theWindowWithTwoHundredBranches() throws Exception {
        ho = new WindowHarness("0,0,1190,1040");
        Random random = new Random(200);
        LocalDate today = LocalDate.now();
        Instant now = Instant.now();
        int sales = 0;
        for (int day = 13; day >= 0; day--) {
            for (int branch = 1; branch <= 200; branch++) {
                String[] product = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
                Sale sale = Sale.create(
                        UUID.randomUUID(),
                        "bo" + branch,
                        new SaleInput(
                                today.minusDays(day),
                                REGIONS.get(branch % REGIONS.size()),
                                product[0],
                                1 + random.nextInt(12),
                                new BigDecimal(product[1])),
                        WindowHarness.RATE);
                ho.publish(sale, now.minusSeconds(day * 86_400L + 5));
                sales++;
            }
        }
        int expected = sales;
        await().atMost(Duration.ofSeconds(120)).until(() -> ho.tableRows() == expected);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ho.branchSummary().equals("All branches")
                        && GuiActionRunner.execute(
                                () -> ho.fixture.table("branchHealth").target().getRowCount() == 200));

        ho.openBranchPopup();
        ho.toggleBranches("bo7", "bo42");
        ho.fixture.textBox("branchSearch").deleteText().enterText("bo4");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> GuiActionRunner.execute(() -> ((SalesChartPanel)
                                        ho.fixture.robot().finder().findByName(ho.frame(), "chartPanel"))
                                .legend())
                        .equals(List.of("Total of the 2 picked branches", "bo42", "bo7")));
        assertThat(ho.branchSummary()).isEqualTo("bo7, bo42");
        settle();

        Path directory = Path.of(System.getProperty("salesync.screenshots", "target"));
        Path file = GuiTesting.screenshot(ho.frame(), directory.resolve("head-office-200-branches.png"));
        assertThat(Files.size(file)).isPositive();
    }

    /** Lets the layout, the wrapped bars and the chart (drawn on its own thread) catch up with a new size. */
    private void settle() {
        ho.fixture.robot().waitForIdle();
        await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
        ho.fixture.robot().waitForIdle();
    }
}
