package io.salesync.headoffice.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.lgooddatepicker.components.DatePicker;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.desktop.testing.GuiTesting;
import io.salesync.headoffice.service.ConsumerStatus;
import java.awt.Component;
import java.awt.Rectangle;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JTable;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.JOptionPaneFixture;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The manager's window as a person meets it: wholly on screen at the demo's size and at 800x600
 * with nothing cut off, date mistakes said in place, the broker's state in words, and no
 * destructive default.
 */
class HeadOfficeLayoutIT {

    private static final Duration LIVE = Duration.ofSeconds(15);
    /** The demo's place for the head office on a 1920x1080 screen (./salesync demo), and 800x600. */
    private static final String DEMO = "0,0,1190,1040";

    private static final String SMALL = "0,0,800,600";

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

    @ParameterizedTest(name = "at {0}")
    @ValueSource(strings = {DEMO, SMALL})
    void everythingIsOnScreenAndNoFigureIsCut(String bounds) throws Exception {
        ho = new WindowHarness(bounds);
        LocalDate day = LocalDate.of(2026, 11, 20);
        ho.publish(Sale.create(
                UUID.randomUUID(),
                "bo1",
                new SaleInput(day, "North", "Copy paper A4", 100_000, new BigDecimal("999999.99")),
                WindowHarness.RATE));
        for (int i = 0; i < 3; i++) {
            ho.sell("bo2", day.plusDays(i), "South", "Stapler", 1 + i, "8.99");
        }
        await().atMost(LIVE).until(() -> ho.tableRows() == 4);
        await().atMost(LIVE).until(() -> ho.fixture.table("branchHealth").rowCount() == 2);
        ho.fixture.table("branchHealth").selectRows(1); // its state in full under the table
        ho.fixture.robot().waitForIdle();

        List<String> problems = GuiActionRunner.execute(() -> {
            List<String> found = new ArrayList<>();
            add(found, GuiTesting.notOnScreen(ho.frame()));
            for (String name : List.of(
                    "branchFilter",
                    "fromDate",
                    "toDate",
                    "regionFilter",
                    "productFilter",
                    "clearFilters",
                    "totals.count",
                    "totals.qty",
                    "totals.amt",
                    "totals.tax",
                    "totals.total",
                    "brokerStatus",
                    "databaseStatus",
                    "headOfficeProcesses",
                    "verifyBranch",
                    "resyncBranch")) {
                add(found, GuiTesting.notWhollyVisible(find(name)));
            }
            JTable sales = (JTable) find("salesTable");
            for (int column = 4; column <= 8; column++) {
                found.addAll(GuiTesting.cutCells(sales, column));
            }
            JTable health = (JTable) find("branchHealth");
            found.addAll(GuiTesting.cutCells(health, 1));
            Rectangle rows = health.getCellRect(1, 1, true).union(health.getCellRect(0, 1, true));
            if (!health.getVisibleRect().contains(rows)) {
                found.add(
                        "the branch health rows are not both in view: " + rows + " outside " + health.getVisibleRect());
            }
            return found;
        });

        assertThat(problems).isEmpty();
        assertThat(ho.label("totals.total")).isEqualTo("107,999,998,978.26");
    }

    @Test
    void aBranchHealthCutByItsColumnCanBeReadInFull() throws Exception {
        ho = new WindowHarness(SMALL);
        ho.sell("bo1", LocalDate.of(2026, 11, 20), "North", "Pen", 1, "1.00");
        JTable health = GuiActionRunner.execute(() -> (JTable) find("branchHealth"));
        await().atMost(LIVE).until(() -> GuiActionRunner.execute(health::getRowCount) == 1);

        ho.fixture.table("branchHealth").selectRows(0);

        String why = GuiActionRunner.execute(() -> String.valueOf(health.getValueAt(0, 7)));
        assertThat(ho.fixture.textBox("branchDetail").text())
                .startsWith("bo1: ")
                .contains(why);
        String tooltip = GuiActionRunner.execute(
                () -> ((JComponent) health.prepareRenderer(health.getCellRenderer(0, 7), 0, 7)).getToolTipText());
        assertThat(tooltip).isEqualTo(why);
    }

    @Test
    void discardingADeadLetterDefaultsToKeepingIt() throws Exception {
        ho = new WindowHarness(DEMO);
        ho.publishRaw("sales.bo1", "{not json".getBytes(StandardCharsets.UTF_8), "bo1:poison");
        await().atMost(LIVE)
                .until(() -> GuiActionRunner.execute(
                                () -> ho.fixture.tabbedPane("tabs").target().getTitleAt(1))
                        .equals("Dead letters (1)"));
        ho.fixture.tabbedPane("tabs").selectTab(1);
        await().atMost(LIVE).until(() -> ho.fixture.table("deadLetters").rowCount() == 1);
        ho.fixture.table("deadLetters").selectRows(0);

        ho.fixture.button("discardDeadLetter").click();
        JOptionPaneFixture dialog = ho.fixture.optionPane(Timeout.timeout(20_000));

        assertThat(GuiActionRunner.execute(() -> ((JOptionPane) dialog.target()).getInitialValue()))
                .isEqualTo("Keep");
        GuiTesting.answer(dialog.buttonWithText("Keep"));
        assertThat(ho.count("SELECT COUNT(*) FROM dead_letter_log WHERE status = 'discarded'"))
                .isZero();
        assertThat(ho.fixture.table("deadLetters").rowCount()).isEqualTo(1);
    }

    @Test
    void anEndBeforeTheStartIsSaidInPlaceWithoutMovingTheOtherFields() {
        ho = new WindowHarness(DEMO);
        List<Rectangle> before =
                GuiActionRunner.execute(() -> boundsOf("productFilter", "clearFilters", "regionFilter", "toDate"));

        GuiActionRunner.execute(() -> {
            ((DatePicker) find("fromDate")).setDate(LocalDate.of(2026, 11, 20));
            ((DatePicker) find("toDate")).setDate(LocalDate.of(2026, 11, 10));
        });
        ho.fixture.robot().waitForIdle();

        assertThat(ho.label("filterProblem")).contains("end date 2026-11-10 is before the start date 2026-11-20");
        assertThat(GuiActionRunner.execute(() -> GuiTesting.notWhollyVisible(find("filterProblem"))))
                .isNull();
        assertThat(GuiActionRunner.execute(() -> boundsOf("productFilter", "clearFilters", "regionFilter", "toDate")))
                .isEqualTo(before);
        assertThat(GuiActionRunner.execute(() -> ((DatePicker) find("toDate"))
                        .getComponentDateTextField()
                        .getClientProperty("JComponent.outline")))
                .isEqualTo("error");
    }

    @Test
    void aWordThatIsNotADateIsSaidInsteadOfBeingDroppedSilently() {
        ho = new WindowHarness(DEMO);

        ho.fixture.textBox("fromDate.text").focus();
        ho.fixture.textBox("fromDate.text").enterText("yesterday");
        ho.fixture.textBox("productFilter").focus();
        ho.fixture.robot().waitForIdle();

        assertThat(ho.label("filterProblem")).startsWith("From: \u201cyesterday\u201d is not a date; type it as ");
        assertThat(GuiActionRunner.execute(() -> GuiTesting.notWhollyVisible(find("filterProblem"))))
                .isNull();
    }

    @Test
    void aBrokerThatWentAwayIsSaidInWordsNotInTheClientsRawText() {
        ho = new WindowHarness(DEMO);
        String raw = "connection lost: connection error; protocol method: #method<connection.close>(reply-code=320,"
                + " reply-text=CONNECTION_FORCED - broker forced connection closure with reason 'shutdown', class-id=0, method-id=0)";

        // The real consumer stops first, so that none of its own reports replaces the one the test gives.
        ho.headOffice.consumer().close();
        ho.window.brokerAddress("127.0.0.1:5672");
        ho.window.consumerStatus(new ConsumerStatus(false, raw, null, 0, 0, null, 0, false));

        await().atMost(LIVE)
                .until(() -> GuiActionRunner.execute(() -> find("banner").isShowing()));
        String banner = GuiActionRunner.execute(() -> ((JLabel) find("banner")).getText());
        assertThat(banner)
                .contains("Lost the connection to RabbitMQ at 127.0.0.1:5672 (the broker was shut down or restarted")
                .containsPattern("retrying since \\d\\d:\\d\\d")
                .doesNotContain("#method")
                .doesNotContain("reply-code")
                .doesNotContain("CONNECTION_FORCED");
        assertThat(ho.label("brokerStatus")).matches("Broker: reconnecting since \\d\\d:\\d\\d");
    }

    private Component find(String name) {
        return ho.fixture.robot().finder().findByName(ho.frame(), name, Component.class, false);
    }

    private List<Rectangle> boundsOf(String... names) {
        List<Rectangle> bounds = new ArrayList<>();
        for (String name : names) {
            Component component = find(name);
            bounds.add(javax.swing.SwingUtilities.convertRectangle(
                    component.getParent(), component.getBounds(), ho.frame()));
        }
        return bounds;
    }

    private static void add(List<String> problems, String problem) {
        if (problem != null) {
            problems.add(problem);
        }
    }
}
