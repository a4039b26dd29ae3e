package io.salesync.branch.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.testing.Sandbox;
import io.salesync.desktop.WindowPlacement;
import io.salesync.desktop.testing.GuiTesting;
import java.awt.Component;
import java.awt.Rectangle;
import java.awt.event.KeyEvent;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.swing.JList;
import javax.swing.JTable;
import org.assertj.swing.data.TableCell;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The clerk's window as a person meets it: wholly on screen at the demo's size and at 800x600,
 * nothing cut off, no trap after a correction, plain messages, suggestions while typing, and a
 * search that looks through every sale of the branch.
 */
class BranchWindowLayoutIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The demo's place for a branch window on a 1920x1080 screen (./salesync demo), and 800x600. */
    private static final String DEMO = "1190,0,730,520";

    private static final String SMALL = "0,0,800,600";

    private Sandbox sandbox;
    private BranchWindowHarness harness;

    @BeforeAll
    static void display() {
        GuiTesting.setUpOnce();
    }

    @BeforeEach
    void setUp() {
        sandbox = new Sandbox();
        harness = new BranchWindowHarness(sandbox);
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(WindowPlacement.PROPERTY);
        try {
            harness.close();
        } finally {
            sandbox.close();
        }
    }

    @ParameterizedTest(name = "at {0}")
    @ValueSource(strings = {DEMO, SMALL})
    void everythingIsOnScreenAndNothingIsCutWithTheLargestAmounts(String bounds) throws Exception {
        BranchConfig config = harness.directConfig();
        try (BranchOffice branch = BranchOffice.open(config, status -> {})) {
            branch.saleService()
                    .create(new SaleInput(
                            LocalDate.of(2026, 11, 24),
                            "North",
                            "Copy paper A4",
                            100_000,
                            new BigDecimal("999999.99")));
            branch.saleService()
                    .create(new SaleInput(LocalDate.of(2026, 11, 25), "South", "Stapler", 1, new BigDecimal("8.99")));
        }
        System.setProperty(WindowPlacement.PROPERTY, bounds);
        FrameFixture window = harness.open(config);
        harness.awaitReady();
        await().atMost(WAIT).until(() -> window.table("salesTable").rowCount() == 2);
        window.table("salesTable").selectRows(0);
        harness.robot().waitForIdle();

        List<String> problems = GuiActionRunner.execute(() -> {
            List<String> found = new ArrayList<>();
            add(found, GuiTesting.notOnScreen(window.target()));
            for (String name : List.of(
                    "date",
                    "regionEditor",
                    "productEditor",
                    "qty",
                    "cost",
                    "save",
                    "clear",
                    "filter",
                    "edit",
                    "delete",
                    "brokerStatus",
                    "backlog",
                    "databaseStatus",
                    "totalsCaption")) {
                add(
                        found,
                        GuiTesting.notWhollyVisible(
                                window.robot().finder().findByName(window.target(), name, Component.class, false)));
            }
            JTable sync = (JTable) window.table("syncTable").target();
            Rectangle shown = sync.getVisibleRect();
            if (shown.width < sync.getWidth() || !sync.getTableHeader().isShowing()) {
                found.add("the Sync column shows " + shown.width + " of its " + sync.getWidth() + " pixels");
            }
            found.addAll(GuiTesting.cutCells(sync, 0));
            JTable table = (JTable) window.table("salesTable").target();
            JTable totals = (JTable) window.table("totals").target();
            for (int column : new int[] {
                SalesTableModel.DATE,
                SalesTableModel.QTY,
                SalesTableModel.COST,
                SalesTableModel.AMT,
                SalesTableModel.TAX,
                SalesTableModel.TOTAL
            }) {
                found.addAll(GuiTesting.cutCells(table, table.convertColumnIndexToView(column)));
                found.addAll(GuiTesting.cutCells(totals, column));
            }
            return found;
        });

        assertThat(problems).isEmpty();
        assertThat(harness.cell(1, SalesTableModel.TOTAL)).isEqualTo("107,999,998,920.00");
        assertThat(window.table("totals").valueAt(TableCell.row(0).column(SalesTableModel.TOTAL)))
                .isEqualTo("107,999,998,929.71");
    }

    @Test
    void aWindowAskedForPartlyOffTheScreenOpensWhollyOnIt() {
        System.setProperty(WindowPlacement.PROPERTY, "1500,700,900,600");
        FrameFixture window = harness.open(harness.directConfig());

        assertThat(GuiActionRunner.execute(() -> GuiTesting.notOnScreen(window.target())))
                .isNull();
        assertThat(GuiActionRunner.execute(() -> window.target().getSize()))
                .isEqualTo(new java.awt.Dimension(900, 600));
    }

    @Test
    void afterACorrectionTheFormIsANewSaleDatedToday() {
        FrameFixture window = harness.open(harness.directConfig());
        harness.awaitReady();
        String yesterday = LocalDate.now().minusDays(1).toString();
        harness.typeSale(yesterday, "East", "Envelopes", "10", "0.35", true);
        await().atMost(WAIT).until(() -> window.table("salesTable").rowCount() == 1);
        window.textBox("date").requireText(yesterday); // a new sale keeps its date for the next one

        window.table("salesTable").selectRows(0);
        window.button("edit").click();
        await().atMost(WAIT).untilAsserted(() -> window.textBox("qty").requireText("10"));
        window.textBox("qty").deleteText().enterText("12");
        window.textBox("qty").pressAndReleaseKeys(KeyEvent.VK_ENTER);
        await().atMost(WAIT).until(() -> harness.cell(0, SalesTableModel.QTY).equals("12"));

        window.textBox("date").requireText(LocalDate.now().toString());
        window.label("formTitle").requireText("New sale");
        window.button("save").requireText("Save");
        harness.typeSale(LocalDate.now().toString(), "East", "Pens", "1", "1.00", true);
        await().atMost(WAIT).until(() -> window.table("salesTable").rowCount() == 2);
        assertThat(harness.count("SELECT COUNT(*) FROM sale WHERE sale_date = ?", LocalDate.now()))
                .isEqualTo(1);
    }

    @Test
    void aSaleThatWasNotSavedIsNeverAnnouncedAsSavedAndItsReasonIsNotCut() {
        FrameFixture window = harness.open(harness.directConfig());
        harness.awaitReady();
        harness.typeSale("2026-11-24", "North", "Paper", "2", "1.00", true);
        await().atMost(WAIT).until(() -> window.label("statusMessage").text().startsWith("Saved: "));

        harness.typeSale("2026-11-24", "North", "Paper", "0", "1.00", true);

        await().atMost(WAIT).until(() -> harness.text("qtyError").equals("must be a whole number from 1 to 100000"));
        assertThat(window.label("statusMessage").text()).startsWith("Not saved").doesNotContain("Saved:");
        assertThat(GuiActionRunner.execute(() -> {
                    Component error = window.label("qtyError").target();
                    String visible = GuiTesting.notWhollyVisible(error);
                    return visible != null
                            ? visible
                            : error.getHeight() < error.getPreferredSize().height ? "the reason is cut" : null;
                }))
                .isNull();
    }

    @Test
    void regionOffersTheRegionsAlreadyUsedWhileTypingWithoutChangingWhatIsTyped() throws Exception {
        BranchConfig config = harness.directConfig();
        try (BranchOffice branch = BranchOffice.open(config, status -> {})) {
            for (String region : List.of("North", "Northeast", "South")) {
                branch.saleService()
                        .create(new SaleInput(LocalDate.of(2026, 11, 24), region, "Paper", 1, BigDecimal.ONE));
            }
        }
        FrameFixture window = harness.open(config);
        harness.awaitReady();
        await().atMost(WAIT).until(() -> window.table("salesTable").rowCount() == 3);
        window.textBox("regionEditor").focus();

        window.textBox("regionEditor").enterText("no");

        // the suggestions are looked up in the background: the list shows when they come
        @SuppressWarnings("unchecked")
        JList<String> list = await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(
                        () -> (JList<String>)
                                harness.robot().finder().findByName("regionSuggestions", JList.class, true),
                        found -> found != null);
        await().atMost(Duration.ofSeconds(5)).until(() -> GuiActionRunner.execute(list::isShowing));
        assertThat(GuiActionRunner.execute(() ->
                        List.of(list.getModel().getElementAt(0), list.getModel().getElementAt(1))))
                .containsExactly("North", "Northeast");
        window.textBox("regionEditor").requireText("no");
        window.textBox("regionEditor").pressAndReleaseKeys(KeyEvent.VK_DOWN, KeyEvent.VK_DOWN, KeyEvent.VK_ENTER);
        window.textBox("regionEditor").requireText("Northeast");
        assertThat(GuiActionRunner.execute(list::isShowing)).isFalse();
        assertThat(harness.count("SELECT COUNT(*) FROM sale"))
                .as("Enter picked the suggestion, it saved nothing")
                .isEqualTo(3);
    }

    @Test
    void theFilterSearchesEverySaleOfTheBranchNotOnlyTheNewestHeld() throws Exception {
        BranchConfig config = harness.directConfig();
        try (BranchOffice branch = BranchOffice.open(config, status -> {})) {
            branch.saleService()
                    .create(new SaleInput(LocalDate.of(2020, 1, 6), "West", "Ancient widget", 1, BigDecimal.TEN));
        }
        int newer = BranchOfficeFrame.ROW_LIMIT;
        try (Connection connection =
                        sandbox.dataSource(BranchWindowHarness.BRANCH).getConnection();
                Statement statement = connection.createStatement()) {
            String digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4"
                    + " UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
            statement.executeUpdate(
                    "INSERT INTO sale (sale_id, sale_date, region, product, qty, cost, amt, tax, total, version,"
                            + " deleted, last_seq) SELECT CONCAT('00000000-0000-7000-8000-', LPAD(n, 12, '0')), '2026-11-20', 'North',"
                            + " 'Paper', 1, 1.00, 1.00, 0.08, 1.08, 1, FALSE, 0 FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d"
                            + " + 10000 * f.d AS n FROM " + digits + " a, " + digits + " b, " + digits + " c, " + digits
                            + " e, "
                            + digits + " f) numbers WHERE n < " + newer);
        }
        FrameFixture window = harness.open(config);
        harness.awaitReady();
        await().atMost(WAIT).until(() -> window.table("salesTable").rowCount() == newer);
        assertThat(window.label("shownCount").text()).contains("of 10,001");

        window.textBox("filter").enterText("ancient");

        await().atMost(WAIT).until(() -> window.table("salesTable").rowCount() == 1);
        assertThat(harness.cell(0, SalesTableModel.PRODUCT)).isEqualTo("Ancient widget");
        assertThat(window.label("shownCount").text()).startsWith("1 sale matches");
        window.textBox("filter").deleteText();
        await().atMost(WAIT).until(() -> window.table("salesTable").rowCount() == newer);
    }

    private static void add(List<String> problems, String problem) {
        if (problem != null) {
            problems.add(problem);
        }
    }
}
