package io.salesync.headoffice.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.salesync.desktop.testing.GuiTesting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.swing.JComponent;
import javax.swing.JSplitPane;
import javax.swing.JTable;
import javax.swing.SwingUtilities;
import org.assertj.swing.data.TableCell;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.JTableFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The health panel of the real window with two hundred branches (their progress and heartbeats
 * written into the head office's tables as the consumer would): the summary line, worst first, the
 * search box, every cell readable. Saves {@code head-office-health-200.png} in the directory named
 * by {@code -Dsalesync.screenshots} (default {@code target/}).
 */
class BranchHealthPanelIT {

    private static final Duration LIVE = Duration.ofSeconds(30);

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

    /** An instant as the head office binds one: text in UTC, to the millisecond. */
    private static String utc(Instant at) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .withZone(ZoneOffset.UTC)
                .format(at);
    }

    @Test
    void twoHundredBranchesWorstFirstUnderASummaryAndFoundBySearch() throws Exception {
        ho = new WindowHarness("0,0,1190,1040");
        Instant now = Instant.now();
        for (int i = 1; i <= 200; i++) {
            String id = "shop-%03d".formatted(i);
            long applied = 1000L + i;
            long gapSince = 0;
            long reported = applied;
            long previous = applied;
            long heardAgo = 3 + i % 20;
            if (i == 42) { // a gap older than the head office waits: diverged
                gapSince = 300;
            } else if (i == 7 || i == 150) { // relay stopped ten minutes ago: silent
                heardAgo = 600 + i;
            } else if (i == 19 || i == 88 || i == 191) { // a backlog its heartbeats keep reporting: lagging
                reported = applied + 40 + i;
                previous = applied + 20;
            }
            ho.execute(
                    "INSERT INTO branch_progress (branch_id, last_seq, applied_changes, last_message_at,"
                            + " last_applied_at, contiguous_seq, received_ranges, gap_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    id,
                    gapSince > 0 ? applied + 30 : applied,
                    applied,
                    utc(now.minusSeconds(heardAgo + 60)),
                    utc(now.minusSeconds(heardAgo + 60)),
                    applied,
                    gapSince > 0 ? (applied + 10) + "-" + (applied + 30) : null,
                    gapSince > 0 ? utc(now.minusSeconds(gapSince)) : null);
            ho.execute(
                    "INSERT INTO branch_heartbeat (branch_id, received_at, sent_at, last_seq, previous_last_seq,"
                            + " unconfirmed, interval_seconds) VALUES (?, ?, ?, ?, ?, ?, 30)",
                    id,
                    utc(now.minusSeconds(heardAgo)),
                    utc(now.minusSeconds(heardAgo)),
                    reported,
                    previous,
                    reported > applied ? 12 : 0);
        }
        JTableFixture health = ho.fixture.table("branchHealth");
        // the window refreshes the health every 10 s by itself
        await().atMost(LIVE).until(() -> health.rowCount() == 200);

        assertThat(ho.fixture.label("branchHealthSummary").text())
                .isEqualTo("194 healthy, 3 lagging, 2 silent, 1 diverged");
        List<String> order = GuiActionRunner.execute(() -> {
            List<String> ids = new ArrayList<>();
            for (int row = 0; row < 8; row++) {
                ids.add(health.target().getValueAt(row, 0) + " "
                        + health.target().getValueAt(row, 4));
            }
            return ids;
        });
        assertThat(order)
                .extracting(line -> line.substring(0, 8))
                .containsExactly(
                        "shop-042", "shop-007", "shop-150", "shop-019", "shop-088", "shop-191", "shop-001", "shop-002");
        assertThat(String.valueOf(health.valueAt(TableCell.row(3).column(7)))).startsWith("59 change(s) behind");

        // every cell readable: the Why cell's tooltip is its whole text, the detail pane says it all
        health.selectRows(3);
        JTable table = health.target();
        String why = GuiActionRunner.execute(() -> String.valueOf(table.getValueAt(3, 7)));
        String tooltip = GuiActionRunner.execute(
                () -> ((JComponent) table.prepareRenderer(table.getCellRenderer(3, 7), 3, 7)).getToolTipText());
        assertThat(tooltip).isEqualTo(why);
        assertThat(ho.fixture.textBox("branchDetail").text())
                .startsWith("shop-019: Lagging. " + why)
                .contains("written up to change 1,078");

        // drag the divider so that many branches show, and keep a picture of it
        GuiActionRunner.execute(() -> {
            JSplitPane split = (JSplitPane) SwingUtilities.getAncestorOfClass(JSplitPane.class, table);
            split.setDividerLocation(0.72);
        });
        ho.fixture.robot().waitForIdle();
        Path directory = Path.of(System.getProperty("salesync.screenshots", "target"));
        Path file = GuiTesting.screenshot(ho.frame(), directory.resolve("head-office-health-200.png"));
        assertThat(Files.size(file)).isPositive();

        ho.fixture.textBox("healthSearch").enterText("shop-19");
        await().atMost(LIVE).until(() -> health.rowCount() == 10);
        assertThat(health.valueAt(TableCell.row(0).column(0)))
                .as("still worst first")
                .isEqualTo("shop-191");
        health.selectRows(0);
        assertThat(ho.fixture.textBox("branchDetail").text()).startsWith("shop-191: Lagging. ");
        assertThat(ho.fixture.label("branchHealthSummary").text())
                .isEqualTo("194 healthy, 3 lagging, 2 silent, 1 diverged (10 shown)");

        ho.fixture.textBox("healthSearch").deleteText();
        await().atMost(LIVE).until(() -> health.rowCount() == 200);
    }
}
