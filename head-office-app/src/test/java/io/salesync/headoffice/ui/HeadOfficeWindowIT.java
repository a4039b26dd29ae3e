package io.salesync.headoffice.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.salesync.common.sale.Sale;
import io.salesync.desktop.testing.GuiTesting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.assertj.swing.data.TableCell;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.JTableFixture;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real head office window against real MySQL and RabbitMQ, fed with changes published as
 * branches bo1 and bo2 would publish them. Components are found by name.
 */
class HeadOfficeWindowIT {

    private static final Duration LIVE = Duration.ofSeconds(10);
    private static final LocalDate DAY = LocalDate.of(2026, 11, 20);

    private WindowHarness ho;

    @BeforeAll
    static void display() {
        GuiTesting.setUpOnce();
    }

    @BeforeEach
    void open() {
        ho = new WindowHarness("0,0,1280,800");
    }

    @AfterEach
    void close() {
        if (ho != null) {
            ho.close();
        }
    }

    @Test
    void salesFromBothBranchesAppearLiveWithTheirBranchAndTotalsEqualTheDatabaseSums() throws Exception {
        ho.sell("bo1", DAY, "North", "Pen Set", 3, "12.50");
        ho.sell("bo1", DAY.plusDays(1), "South", "Stapler", 1, "8.99");
        ho.sell("bo2", DAY, "East", "Paper A4", 10, "4.25");

        await().atMost(LIVE).until(() -> ho.tableRows() == 3);
        assertTotalsMatchTheDatabase("", new Object[0]);
        assertThat(branchColumn()).containsExactlyInAnyOrder("bo1", "bo1", "bo2");

        ho.sell("bo2", DAY.plusDays(2), "West", "Desk Lamp", 2, "30.00");

        await().atMost(LIVE).until(() -> ho.tableRows() == 4);
        await().atMost(LIVE).untilAsserted(() -> assertTotalsMatchTheDatabase("", new Object[0]));
        assertThat(branchColumn()).containsExactlyInAnyOrder("bo1", "bo1", "bo2", "bo2");
        JTableFixture table = ho.fixture.table("salesTable");
        assertThat(table.valueAt(TableCell.row(0).column(3))).as("newest first").isEqualTo("Desk Lamp");
        assertThat(table.valueAt(TableCell.row(0).column(8))).isEqualTo("64.80");
        await().atMost(LIVE)
                .until(() -> GuiActionRunner.execute(() -> ho.frame().model().generation()) > 0
                        && ho.fixture.table("branchHealth").rowCount() == 2);
    }

    @Test
    void filtersNarrowTheRowsAndTheTotals() throws Exception {
        ho.sell("bo1", DAY, "North", "Promo 50% off", 1, "10.00");
        ho.sell("bo1", DAY, "North", "Promo 500 off", 2, "10.00");
        ho.sell("bo2", DAY.plusDays(3), "South", "Promo 50% off", 4, "10.00");
        ho.sell("bo2", DAY.plusDays(5), "North", "Chair", 1, "99.00");
        await().atMost(LIVE).until(() -> ho.tableRows() == 4);
        await().atMost(LIVE)
                .until(() -> GuiActionRunner.execute(() ->
                        ho.fixture.button("branchFilter").target().getText().startsWith("All branches")));

        ho.openBranchPopup();
        ho.toggleBranches("bo2");
        ho.fixture.textBox("branchSearch").pressAndReleaseKeys(java.awt.event.KeyEvent.VK_ESCAPE);
        await().atMost(LIVE).until(() -> ho.tableRows() == 2);
        assertTotalsMatchTheDatabase(" AND branch_id = ?", new Object[] {"bo2"});

        ho.fixture.textBox("productFilter").enterText("50%");
        await().atMost(LIVE).until(() -> ho.tableRows() == 1);
        assertTotalsMatchTheDatabase(" AND branch_id = ? AND product = ?", new Object[] {"bo2", "Promo 50% off"});

        ho.openBranchPopup();
        ho.toggleBranches("bo2");
        ho.fixture.textBox("branchSearch").pressAndReleaseKeys(java.awt.event.KeyEvent.VK_ESCAPE);
        await().atMost(LIVE).until(() -> ho.tableRows() == 2);
        assertThat(column(3)).containsOnly("Promo 50% off");

        GuiActionRunner.execute(() -> ho.frame()
                .applyFilter(new io.salesync.headoffice.model.SalesFilter(
                        java.util.Set.of(), DAY.plusDays(1), DAY.plusDays(4), null, null)));
        await().atMost(LIVE).until(() -> ho.tableRows() == 1);
        assertTotalsMatchTheDatabase(" AND sale_date BETWEEN ? AND ?", new Object[] {DAY.plusDays(1), DAY.plusDays(4)});

        ho.fixture.button("clearFilters").click();
        await().atMost(LIVE).until(() -> ho.tableRows() == 4);
    }

    @Test
    void aDeleteAtABranchRemovesTheRow() throws Exception {
        Sale kept = ho.sell("bo1", DAY, "North", "Kept", 1, "5.00");
        Sale mistake = ho.sell("bo2", DAY, "North", "Mistake", 7, "5.00");
        await().atMost(LIVE).until(() -> ho.tableRows() == 2);

        ho.publish(mistake.markDeleted());

        await().atMost(LIVE).until(() -> ho.tableRows() == 1);
        assertThat(ho.fixture.table("salesTable").valueAt(TableCell.row(0).column(3)))
                .isEqualTo(kept.product());
        await().atMost(LIVE).untilAsserted(() -> assertTotalsMatchTheDatabase("", new Object[0]));
        assertThat(ho.label("totals.qty")).isEqualTo("1");
    }

    @Test
    void aPoisonMessageShowsInTheDeadLetterViewAndCanBeDiscarded() throws Exception {
        ho.sell("bo1", DAY, "North", "Good", 1, "5.00");
        ho.publishRaw("sales.bo1", "{not json".getBytes(StandardCharsets.UTF_8), "bo1:poison");

        await().atMost(LIVE).until(() -> deadLetterTabTitle().equals("Dead letters (1)"));
        ho.fixture.tabbedPane("tabs").selectTab(1);
        JTableFixture deadLetters = ho.fixture.table("deadLetters");
        await().atMost(LIVE).until(() -> deadLetters.rowCount() == 1);
        assertThat(deadLetters.valueAt(TableCell.row(0).column(3))).isEqualTo("bo1:poison");
        assertThat(deadLetters.valueAt(TableCell.row(0).column(4))).contains("not valid JSON");
        deadLetters.selectRows(0);
        assertThat(ho.fixture.textBox("deadLetterBody").text())
                .contains("message bo1:poison")
                .contains("Reason: ")
                .endsWith("\n\n{not json");

        ho.fixture.button("discardDeadLetter").click();
        ho.fixture
                .optionPane(Timeout.timeout(20_000))
                .requireMessage(
                        "Discard message bo1:poison?\nIt stops showing here; the broker's dead-letter queue keeps its copy.");
        GuiTesting.answer(ho.fixture.optionPane(Timeout.timeout(20_000)).buttonWithText("Discard"));

        await().atMost(LIVE).until(() -> deadLetters.rowCount() == 0);
        assertThat(ho.count("SELECT COUNT(*) FROM dead_letter_log WHERE status = 'discarded'"))
                .isEqualTo(1);
        await().atMost(LIVE).until(() -> deadLetterTabTitle().equals("Dead letters"));
        assertThat(ho.tableRows()).isEqualTo(1);
    }

    @Test
    void aRetriedDeadLetterIsCheckedAgainAndAppliedWhenValid() throws Exception {
        // A valid change refused by an older head office (say, before it knew this schema version):
        // it sits in the log with its body, and a retry publishes it again.
        Sale sale = Sale.create(
                java.util.UUID.randomUUID(),
                "bo2",
                new io.salesync.common.sale.SaleInput(DAY, "East", "Retried Sale", 2, new java.math.BigDecimal("3.00")),
                WindowHarness.RATE);
        ho.execute(
                "INSERT INTO dead_letter_log (received_at, routing_key, message_id, claimed_branch, reason, body,"
                        + " body_size, content_type, message_type) VALUES (NOW(3), 'sales.bo2', 'bo2:1', 'bo2', ?, ?, ?, ?, ?)",
                "unsupported schemaVersion 1 (this reader knows 0)",
                ho.encode(sale, 1),
                ho.encode(sale, 1).length,
                "application/json",
                "sale.changed");
        ho.fixture.tabbedPane("tabs").selectTab(1);
        ho.fixture.button("reloadDeadLetters").click();
        JTableFixture deadLetters = ho.fixture.table("deadLetters");
        await().atMost(LIVE).until(() -> deadLetters.rowCount() == 1);
        deadLetters.selectRows(0);

        ho.fixture.button("retryDeadLetter").click();
        GuiTesting.answer(ho.fixture.optionPane(Timeout.timeout(20_000)).buttonWithText("Retry"));

        await().atMost(LIVE).until(() -> ho.tableRows() == 1);
        assertThat(ho.count("SELECT COUNT(*) FROM dead_letter_log WHERE status = 'retried'"))
                .isEqualTo(1);
        assertThat(ho.count("SELECT COUNT(*) FROM sale WHERE product = 'Retried Sale' AND deleted = 0"))
                .isEqualTo(1);
        await().atMost(LIVE).until(() -> deadLetters.rowCount() == 0);
    }

    @Test
    void theHealthPanelShowsACheckpointVerdictAndAsksABranchToVerifyOrResync() throws Exception {
        Sale sale = ho.sell("bo1", DAY, "North", "Pen Set", 3, "12.50");
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update((sale.id() + ":1:0").getBytes(StandardCharsets.US_ASCII));
        ho.checkpoint(
                "bo1",
                new io.salesync.common.db.SaleChecksum.Figures(1, 1, java.math.BigDecimal.valueOf(crc.getValue())));

        JTableFixture health = ho.fixture.table("branchHealth");
        await().atMost(LIVE)
                .until(() -> health.rowCount() == 1
                        && String.valueOf(health.valueAt(TableCell.row(0).column(4)))
                                .startsWith("matched"));
        assertThat(health.valueAt(TableCell.row(0).column(3))).as("complete to").isEqualTo("2");
        ho.fixture.button("verifyBranch").requireDisabled();

        health.selectRows(0);
        ho.fixture.button("verifyBranch").requireEnabled().click();
        ho.fixture.button("resyncBranch").click();
        GuiTesting.answer(ho.fixture.optionPane(Timeout.timeout(20_000)).buttonWithText("Resync"));

        com.rabbitmq.client.Channel channel = ho.sandbox.channel();
        String queue = ho.sandbox.topology().controlQueue("bo1");
        io.salesync.common.codec.SaleChangeCodec codec = new io.salesync.common.codec.SaleChangeCodec();
        List<String> actions = new java.util.ArrayList<>();
        await().atMost(LIVE).until(() -> {
            com.rabbitmq.client.GetResponse request = channel.basicGet(queue, true);
            if (request != null) {
                actions.add(codec.decodeCommand(request.getBody()).action().wireName());
            }
            return actions.size() == 2;
        });
        assertThat(actions).containsExactly("checkpoint", "resync");
    }

    @Test
    void sortAndSelectionSurviveALiveRefresh() throws Exception {
        for (int qty = 1; qty <= 5; qty += 2) {
            ho.sell("bo1", DAY, "North", "Q" + qty, qty, "1.00");
        }
        await().atMost(LIVE).until(() -> ho.tableRows() == 3);
        JTableFixture table = ho.fixture.table("salesTable");
        table.tableHeader().clickColumn(4);
        await().atMost(LIVE)
                .until(() -> "Q1".equals(table.valueAt(TableCell.row(0).column(3))));
        table.selectRows(1);
        assertThat(table.valueAt(TableCell.row(1).column(3))).isEqualTo("Q3");

        ho.sell("bo2", DAY, "North", "Q2", 2, "1.00");

        await().atMost(LIVE).until(() -> ho.tableRows() == 4);
        await().atMost(LIVE)
                .until(() -> "Q2".equals(table.valueAt(TableCell.row(1).column(3))));
        assertThat(column(3)).containsExactly("Q1", "Q2", "Q3", "Q5");
        assertThat(GuiActionRunner.execute(() -> table.target().getSelectedRow()))
                .as("the same sale stays selected")
                .isEqualTo(2);
    }

    @Test
    void exportsTheFilteredRowsToCsv(@TempDir Path dir) throws Exception {
        ho.sell("bo1", DAY, "North", "=cmd|' /C calc'!A0", 1, "2.00");
        ho.sell("bo2", DAY, "South", "Paper, A4", 3, "1.50");
        await().atMost(LIVE).until(() -> ho.tableRows() == 2);
        Path file = dir.resolve("sales.csv");

        GuiActionRunner.execute(() -> ho.frame().exportTo(file));

        await().atMost(LIVE).until(() -> Files.exists(file));
        await().atMost(LIVE).until(() -> ho.label("statusMessage").startsWith("Exported 2 rows"));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("Branch,Date,Region,Product,Qty,Cost,Amt,Tax,Total");
        assertThat(lines)
                .contains(
                        "bo1," + DAY + ",North,'=cmd|' /C calc'!A0,1,2.00,2.00,0.16,2.16",
                        "bo2," + DAY + ",South,\"Paper, A4\",3,1.50,4.50,0.36,4.86");
    }

    private List<String> column(int column) {
        return Arrays.stream(ho.fixture.table("salesTable").contents())
                .map(row -> row[column])
                .toList();
    }

    private String deadLetterTabTitle() {
        return GuiActionRunner.execute(
                () -> ho.fixture.tabbedPane("tabs").target().getTitleAt(1));
    }

    private List<String> branchColumn() {
        return column(0);
    }

    private void assertTotalsMatchTheDatabase(String where, Object[] parameters) throws Exception {
        await().atMost(LIVE).untilAsserted(() -> {
            assertThat(ho.label("totals.count").replace(",", ""))
                    .isEqualTo(String.valueOf(
                            ho.count("SELECT COUNT(*) FROM sale WHERE deleted = 0" + where, parameters)));
            assertThat(ho.label("totals.qty")).isEqualTo(ho.sum("qty", where, parameters));
            assertThat(ho.label("totals.amt")).isEqualTo(ho.sum("amt", where, parameters));
            assertThat(ho.label("totals.tax")).isEqualTo(ho.sum("tax", where, parameters));
            assertThat(ho.label("totals.total")).isEqualTo(ho.sum("total", where, parameters));
        });
    }
}
