package io.salesync.headoffice.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.salesync.desktop.testing.GuiTesting;
import java.awt.Component;
import java.awt.Rectangle;
import java.awt.event.KeyEvent;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.swing.JList;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.exception.ComponentLookupException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The branch filter and the chart with more branches than the chart has colours: the popup's search
 * narrows the list, Select all / Select none, ticking two branches narrows the table and the totals,
 * the bar's summary, and the chart's total plus the picked lines.
 */
class HeadOfficeBranchFilterIT {

    private static final Duration LIVE = Duration.ofSeconds(20);
    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);

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
    void searchingAndTickingTwoOfTwelveBranchesNarrowsTheTableTheTotalsAndTheChart() throws Exception {
        ho = new WindowHarness("0,0,1190,1040");
        sellAtBranches(12);
        ho.sell("bo7", DAY.plusDays(1), "South", "Stapler", 2, "8.99");
        await().atMost(LIVE).until(() -> ho.tableRows() == 13);
        await().atMost(LIVE).until(() -> chartLegend().equals(List.of("Total of all 12 branches")));
        assertThat(ho.branchSummary()).isEqualTo("All branches");
        assertThat(ho.label("chartHint")).contains("pick up to 8 branches");

        ho.openBranchPopup();
        assertThat(listed()).hasSize(12).startsWith("bo1", "bo2", "bo3").endsWith("bo10", "bo11", "bo12");
        ho.fixture.textBox("branchSearch").enterText("bo1");
        assertThat(listed()).containsExactly("bo1", "bo10", "bo11", "bo12");
        assertThat(ho.label("branchCounts")).isEqualTo("4 of 12 shown; none ticked: every branch");

        ho.toggleBranches("bo7", "bo12");
        await().atMost(LIVE).until(() -> ho.tableRows() == 3);

        assertThat(ho.branchSummary()).isEqualTo("bo7, bo12");
        assertThat(branchColumn()).containsExactlyInAnyOrder("bo7", "bo7", "bo12");
        assertThat(ho.label("totals.total"))
                .isEqualTo(ho.sum("total", " AND branch_id IN (?, ?)", "bo7", "bo12"))
                .isNotEqualTo(ho.sum("total", ""));
        await().atMost(LIVE)
                .until(() -> chartLegend().equals(List.of("Total of the 2 picked branches", "bo12", "bo7")));
        assertThat(GuiActionRunner.execute(() -> find("chartHint").isVisible())).isFalse();

        ho.fixture.textBox("branchSearch").deleteText().enterText("bo1");
        ho.fixture.button("branchSelectAll").click();
        await().atMost(LIVE).until(() -> ho.tableRows() == 6);
        assertThat(ho.branchSummary()).isEqualTo("5 of 12 branches");
        await().atMost(LIVE)
                .until(() -> chartLegend()
                        .equals(List.of("Total of the 5 picked branches", "bo1", "bo10", "bo11", "bo12", "bo7")));

        ho.fixture.textBox("branchSearch").deleteText();
        ho.fixture.button("branchSelectNone").click();
        await().atMost(LIVE).until(() -> ho.tableRows() == 13);
        assertThat(ho.branchSummary()).isEqualTo("All branches");
        assertThat(ho.label("totals.total")).isEqualTo(ho.sum("total", ""));

        ho.fixture.textBox("branchSearch").pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
        await().atMost(LIVE).until(() -> !showing("branchSearch"));
    }

    @Test
    void theKeyboardAloneOpensTheListMovesThroughItAndTicks() throws Exception {
        ho = new WindowHarness("0,0,1190,1040");
        sellAtBranches(3);
        await().atMost(LIVE).until(() -> ho.tableRows() == 3);
        await().atMost(LIVE).until(() -> ho.branchSummary().equals("All branches"));

        ho.fixture.button("branchFilter").focus();
        ho.fixture.button("branchFilter").pressAndReleaseKeys(KeyEvent.VK_DOWN);
        await().atMost(LIVE)
                .until(() -> GuiActionRunner.execute(
                        () -> ho.fixture.textBox("branchSearch").target().isFocusOwner()));
        ho.fixture.textBox("branchSearch").pressAndReleaseKeys(KeyEvent.VK_DOWN, KeyEvent.VK_DOWN, KeyEvent.VK_ENTER);

        await().atMost(LIVE).until(() -> ho.tableRows() == 1);
        assertThat(ho.branchSummary()).isEqualTo("bo3");
        assertThat(branchColumn()).containsExactly("bo3");
    }

    @Test
    void manyBranchesFitTheBarAndThePopupAt800x600() throws Exception {
        ho = new WindowHarness("0,0,800,600");
        // 60 branches: the list scrolls as with 200 (HeadOfficeScreenshotIT shows 200), and the broker
        // keeps a control queue per branch
        sellAtBranches(60);
        await().atMost(Duration.ofSeconds(60)).until(() -> ho.tableRows() == 60);
        await().atMost(LIVE).until(() -> chartLegend().equals(List.of("Total of all 60 branches")));

        ho.openBranchPopup();
        ho.fixture.textBox("branchSearch").enterText("bo1");

        List<String> problems = GuiActionRunner.execute(() -> {
            List<String> found = new ArrayList<>();
            for (String name : List.of(
                    "branchFilter",
                    "fromDate",
                    "toDate",
                    "regionFilter",
                    "productFilter",
                    "clearFilters",
                    "branchSearch",
                    "branchSelectAll",
                    "branchSelectNone",
                    "branchCounts")) {
                String problem = GuiTesting.notWhollyVisible(find(name));
                if (problem != null) {
                    found.add(problem);
                }
            }
            Component popup = find("branchSearch");
            Rectangle onScreen = new Rectangle(popup.getLocationOnScreen(), popup.getSize());
            Rectangle window = ho.frame().getBounds();
            if (!window.contains(onScreen)) {
                found.add("the search field at " + onScreen + " is outside the window " + window);
            }
            return found;
        });
        assertThat(problems).isEmpty();
        assertThat(listed()).hasSize(11).startsWith("bo1", "bo10", "bo11");
        assertThat(ho.label("branchCounts")).isEqualTo("11 of 60 shown; none ticked: every branch");
    }

    /** One sale at each of bo1..boN, each with a different total. */
    private void sellAtBranches(int branches) throws Exception {
        for (int i = 1; i <= branches; i++) {
            ho.sell("bo" + i, DAY, i % 2 == 0 ? "North" : "South", "Pen " + i, i, "1.25");
        }
    }

    @SuppressWarnings("unchecked")
    private List<String> listed() {
        return GuiActionRunner.execute(() -> {
            JList<String> list = (JList<String>) find("branchList");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < list.getModel().getSize(); i++) {
                ids.add(list.getModel().getElementAt(i));
            }
            return ids;
        });
    }

    private List<String> chartLegend() {
        return GuiActionRunner.execute(() -> {
            SalesChartPanel chart = (SalesChartPanel) find("chartPanel");
            return chart.legend();
        });
    }

    private List<String> branchColumn() {
        return Arrays.stream(ho.fixture.table("salesTable").contents())
                .map(row -> row[0])
                .toList();
    }

    private Component find(String name) {
        return ho.fixture.robot().finder().findByName(ho.frame(), name, Component.class, false);
    }

    /** Whether the named component is on screen; a closed popup's components are gone altogether. */
    private boolean showing(String name) {
        return GuiActionRunner.execute(() -> {
            try {
                return find(name).isShowing();
            } catch (ComponentLookupException gone) {
                return false;
            }
        });
    }
}
