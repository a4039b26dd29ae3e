package io.salesync.branch.ui;

import static io.salesync.branch.ui.SalesTableModel.PRODUCT;
import static io.salesync.branch.ui.SalesTableModel.QTY;
import static io.salesync.branch.ui.SalesTableModel.REGION;
import static io.salesync.branch.ui.SalesTableModel.SYNC;
import static io.salesync.branch.ui.SalesTableModel.TOTAL;
import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

import com.github.lgooddatepicker.components.CalendarPanel;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.ChangeOp;
import io.salesync.common.event.SaleChange;
import io.salesync.common.testing.QueueReader;
import io.salesync.common.testing.Sandbox;
import io.salesync.common.testing.TcpProxy;
import io.salesync.desktop.Theme;
import io.salesync.desktop.WindowMemory;
import io.salesync.desktop.testing.GuiTesting;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.swing.JComponent;
import javax.swing.UIManager;
import org.assertj.swing.core.KeyPressInfo;
import org.assertj.swing.data.TableCell;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.fixture.JFileChooserFixture;
import org.assertj.swing.fixture.JPanelFixture;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clerk's window driven like a clerk (keyboard, double-click, confirmation) against real MySQL
 * and RabbitMQ, under Xvfb. Event-thread violations fail the tests (GuiTesting).
 */
class BranchOfficeWindowIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** AssertJ Swing takes the old-style modifier masks. */
    @SuppressWarnings("deprecation")
    private static final int ALT_MASK = InputEvent.ALT_MASK;

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
        try {
            harness.close();
        } finally {
            sandbox.close();
        }
    }

    @Test
    void saleTypedWithTheKeyboardIsComputedLiveAppearsAndTurnsSynced() {
        FrameFixture window = harness.open(harness.directConfig());
        harness.awaitReady();

        harness.typeSale("2026-11-24", "North", "Paper A4", "3", "2.50", false);
        window.label("amt").requireText("7.50");
        window.label("tax").requireText("0.60");
        window.label("total").requireText("8.10");
        harness.robot().pressAndReleaseKey(KeyEvent.VK_ENTER);

        await().atMost(WAIT)
                .until(() -> window.table("salesTable").rowCount() == 1
                        && harness.cell(0, SYNC).equals("synced"));
        assertThat(harness.cell(0, REGION)).isEqualTo("North");
        assertThat(harness.cell(0, PRODUCT)).isEqualTo("Paper A4");
        assertThat(harness.cell(0, TOTAL)).isEqualTo("8.10");
        assertThat(window.table("totals").valueAt(TableCell.row(0).column(TOTAL)))
                .isEqualTo("8.10");
        assertThat(harness.count("SELECT COUNT(*) FROM outbox WHERE published_at IS NOT NULL"))
                .isEqualTo(1);
        // Ready for the next sale: the form is empty, the date kept, the cursor in Region.
        window.textBox("qty").requireEmpty();
        window.textBox("date").requireText("2026-11-24");
        window.textBox("regionEditor").requireFocused();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> window.label("lastConfirmed").text().matches("Last confirmation: \\d\\d:\\d\\d:\\d\\d")
                        && window.label("backlog").text().equals("Waiting to send: 0"));
    }

    @Test
    void invalidQuantityIsMarkedWithItsReasonAndNothingIsSaved() {
        FrameFixture window = harness.open(harness.directConfig());
        harness.awaitReady();

        harness.typeSale("2026-11-24", "North", "Paper A4", "0", "2.50", true);

        window.label("qtyError").requireVisible();
        assertThat(harness.text("qtyError")).contains("whole number from 1");
        assertThat(GuiActionRunner.execute(
                        () -> ((JComponent) window.textBox("qty").target()).getClientProperty("JComponent.outline")))
                .isEqualTo("error");
        window.textBox("qty").requireFocused();
        assertThat(harness.text("formMessage")).startsWith("Not saved");

        window.textBox("qty").deleteText().enterText("two");
        window.textBox("qty").pressAndReleaseKeys(KeyEvent.VK_ENTER);
        assertThat(harness.text("qtyError")).contains("whole number above 0");
        assertThat(harness.count("SELECT COUNT(*) FROM sale")).isZero();
        assertThat(harness.count("SELECT COUNT(*) FROM outbox")).isZero();

        // Escape clears the form and the marks, and puts the cursor back in Date.
        window.textBox("qty").pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
        window.textBox("qty").requireEmpty();
        window.label("qtyError").requireNotVisible();
        window.textBox("date").requireFocused();
    }

    @Test
    void textWithQuotesSqlAndNonLatinCharactersIsStoredAsTyped() {
        FrameFixture window = harness.open(harness.directConfig());
        harness.awaitReady();
        String region = "O'Brien \"North\"";
        String product = "'); DROP TABLE sale; -- Caf\u00e9 \u00abA4\u00bb \u6771\u4eac";

        harness.typeSale("11/24/2026", region, product, "1", "9.99", true);

        await().atMost(WAIT).until(() -> window.table("salesTable").rowCount() == 1);
        assertThat(harness.cell(0, REGION)).isEqualTo(region);
        assertThat(harness.cell(0, PRODUCT)).isEqualTo(product);
        assertThat(harness.count("SELECT COUNT(*) FROM sale WHERE region = ? AND product = ?", region, product))
                .isEqualTo(1);
    }

    @Test
    void withTheBrokerUnreachableASaleStaysPendingThenTurnsSyncedWhenItIsBack() {
        URI amqp = sandbox.amqp().uri();
        try (TcpProxy proxy = new TcpProxy(amqp.getHost(), amqp.getPort() > 0 ? amqp.getPort() : 5672)) {
            FrameFixture window = harness.open(BranchWindowHarness.config(
                    sandbox.database(BranchWindowHarness.BRANCH),
                    sandbox.broker("amqp://127.0.0.1:" + proxy.port() + amqp.getRawPath())));
            harness.awaitReady();

            proxy.cut();
            await().atMost(WAIT)
                    .until(() -> window.label("brokerStatus").text().startsWith("Broker: reconnecting since "));
            // in words, with the broker's address; never the client's raw protocol text
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(GuiActionRunner.execute(() ->
                                    ((JComponent) window.label("brokerStatus").target()).getToolTipText()))
                            .containsPattern(
                                    "(Lost the connection to|Cannot reach) RabbitMQ at 127\\.0\\.0\\.1:" + proxy.port())
                            .containsPattern("retrying since \\d\\d:\\d\\d")
                            .doesNotContain("#method")
                            .doesNotContain("reply-code"));
            harness.typeSale("2026-11-25", "South", "Stapler", "2", "7.25", true);

            await().atMost(WAIT)
                    .until(() -> window.table("salesTable").rowCount() == 1
                            && harness.cell(0, SYNC).equals("pending"));
            await().atMost(WAIT).until(() -> window.label("backlog").text().equals("Waiting to send: 1"));
            assertThat(harness.count("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL"))
                    .isEqualTo(1);

            proxy.restore();
            await().atMost(WAIT).until(() -> harness.cell(0, SYNC).equals("synced"));
            await().atMost(WAIT)
                    .until(() -> window.label("brokerStatus").text().equals("Broker: connected")
                            && window.label("backlog").text().equals("Waiting to send: 0"));
        }
    }

    @Test
    void aSaleTheBrokerCannotRouteShowsFailedWithTheReasonThenSyncsOnceTheQueueExists() throws Exception {
        FrameFixture window = harness.open(harness.directConfig());
        harness.awaitReady();
        sandbox.channel().queueDelete(sandbox.topology().salesQueue());

        harness.typeSale("2026-11-25", "North", "Toner", "1", "59.00", true);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(window.table("salesTable").rowCount()).isEqualTo(1);
            assertThat(harness.cell(0, SYNC)).isEqualTo("failed");
            assertThat(harness.syncValue(0)).startsWith("failed: ").contains("no queue for this branch's changes");
        });
        assertThat(window.label("brokerStatus").text()).isEqualTo("Broker: waiting for the head office");
        sandbox.channel();
        await().atMost(WAIT).until(() -> harness.cell(0, SYNC).equals("synced"));
    }

    @Test
    void correctionAndDeletionAreNewVersionsThatReachTheHeadOfficeQueue() throws Exception {
        FrameFixture window = harness.open(harness.directConfig());
        harness.awaitReady();
        harness.typeSale("2026-11-24", "East", "Envelopes", "10", "0.35", true);
        await().atMost(WAIT)
                .until(() -> window.table("salesTable").rowCount() == 1
                        && harness.cell(0, SYNC).equals("synced"));

        window.table("salesTable").cell(TableCell.row(0).column(PRODUCT)).click();
        window.button("edit").click();
        await().atMost(WAIT).untilAsserted(() -> {
            window.textBox("regionEditor").requireText("East");
            window.textBox("qty").requireText("10");
        });
        window.textBox("qty").deleteText().enterText("12");
        window.textBox("qty").pressAndReleaseKeys(KeyEvent.VK_ENTER);
        await().atMost(WAIT)
                .until(() -> harness.cell(0, QTY).equals("12")
                        && harness.cell(0, SYNC).equals("synced"));

        window.table("salesTable").cell(TableCell.row(0).column(PRODUCT)).click();
        window.table("salesTable").requireSelectedRows(0);
        window.button("delete").click();
        org.assertj.swing.fixture.JButtonFixture confirm = window.optionPane(Timeout.timeout(5_000))
                .requireMessage(java.util.regex.Pattern.compile("(?s)Delete the sale of .*"))
                .buttonWithText("Delete");
        GuiTesting.answer(confirm);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(window.table("salesTable").rowCount())
                        .as(
                                "rows after the deletion; status bar says: %s",
                                window.label("statusMessage").text())
                        .isZero());
        await().atMost(WAIT)
                .until(() -> harness.count("SELECT COUNT(*) FROM outbox WHERE published_at IS NOT NULL") == 3);

        List<SaleChange> changes = drainQueue();
        assertThat(changes).extracting(change -> change.sale().version()).containsExactly(1L, 2L, 3L);
        assertThat(changes.get(1).sale().qty()).isEqualTo(12);
        assertThat(changes.get(1).sale().total()).isEqualByComparingTo("4.54");
        assertThat(changes.get(2).op()).isEqualTo(ChangeOp.DELETE);
        assertThat(changes)
                .extracting(change -> change.sale().id())
                .containsOnly(changes.get(0).sale().id());
    }

    @Test
    void aDatabaseThatRefusesTheBranchsUserIsSaidPlainlyNotAsUnreachable() {
        String user = sandbox.mysqlUser(BranchWindowHarness.BRANCH, "app", "the-right-password", "ALL PRIVILEGES");
        java.util.Map<String, String> database = new java.util.HashMap<>(sandbox.database(BranchWindowHarness.BRANCH));
        database.put(io.salesync.common.db.DatabaseSettings.USER, user);
        database.put(io.salesync.common.db.DatabaseSettings.PASSWORD, "a-wrong-password");
        FrameFixture window = harness.open(BranchWindowHarness.config(database, sandbox.broker()));

        await().atMost(WAIT).untilAsserted(() -> window.panel("banner").requireVisible());
        assertThat(window.label("bannerText").text())
                .startsWith("Sales cannot be saved: the branch database refused this program's user name or password.")
                .contains("refused user " + user + " (access denied): check salesync.db.user and salesync.db.password.")
                .doesNotContain("Cannot reach")
                .doesNotContain("until it answers");
        window.label("databaseStatus").requireText("Database: access denied");
    }

    @Test
    void opensWhileTheDatabaseIsDownSaysSoAndRecoversWhenItAnswers() {
        URI mysql = sandbox.mysql().hostAndPort();
        try (TcpProxy proxy = new TcpProxy(mysql.getHost(), mysql.getPort() > 0 ? mysql.getPort() : 3306)) {
            proxy.cut();
            String url = "jdbc:mysql://127.0.0.1:" + proxy.port() + "/" + sandbox.schema(BranchWindowHarness.BRANCH);
            FrameFixture window = harness.open(
                    BranchWindowHarness.config(sandbox.database(BranchWindowHarness.BRANCH, url), sandbox.broker()));

            await().atMost(WAIT).untilAsserted(() -> window.panel("banner").requireVisible());
            assertThat(window.label("bannerText").text())
                    .contains("Cannot reach MySQL")
                    .contains("cannot be saved");
            window.label("databaseStatus").requireText("Database: unreachable");
            window.label("brokerStatus").requireText("Broker: offline");
            harness.typeSale("2026-11-24", "West", "Pens", "4", "1.20", true);
            assertThat(harness.text("formMessage")).contains("Not saved");

            proxy.restore();
            harness.awaitReady();
            window.panel("banner").requireNotVisible();
            window.button("save").click();
            await().atMost(WAIT)
                    .until(() -> window.table("salesTable").rowCount() == 1
                            && harness.cell(0, SYNC).equals("synced"));
        }
    }

    @Test
    void csvImportShowsItsSummaryAndTheImportedSalesTurnSynced(@TempDir Path directory) throws Exception {
        Path csv = directory.resolve("sales.csv");
        Files.writeString(csv, """
                Date,Region,Product,Qty,Cost
                2026-11-20,North,Paper,2,3.50
                2026-11-21,South,Pens,0,1.00
                2026-11-22,East,Folders,5,2.00
                """, StandardCharsets.UTF_8);
        FrameFixture window = harness.open(harness.directConfig());
        harness.awaitReady();

        window.menuItem("importCsv").click();
        JFileChooserFixture chooser = window.fileChooser(Timeout.timeout(5_000));
        chooser.selectFile(csv.toFile());
        GuiTesting.answer(chooser.approveButton());

        DialogFixture summary =
                WindowFinder.findDialog("importSummary").withTimeout(20_000).using(harness.robot());
        summary.label("importedCount").requireText("2 sales imported.");
        assertThat(summary.label("rejectedCount").text()).startsWith("1 row was rejected");
        assertThat(summary.list("rejections").contents())
                .singleElement(as(STRING))
                .startsWith("line 3: Qty");
        summary.button("saveRejected").requireVisible();
        summary.button("closeSummary").click();

        await().atMost(WAIT)
                .until(() -> window.table("salesTable").rowCount() == 2
                        && harness.cell(0, SYNC).equals("synced")
                        && harness.cell(1, SYNC).equals("synced"));
        assertThat(window.table("totals").valueAt(TableCell.row(0).column(TOTAL)))
                .isEqualTo("18.36");
    }

    @Test
    void calendarOpensFromTheKeyboardAndAPickedDayFillsTheDateField() {
        FrameFixture window = harness.open(harness.directConfig());
        window.textBox("date").deleteText().enterText("2026-11-24");

        window.textBox("date")
                .pressAndReleaseKey(KeyPressInfo.keyCode(KeyEvent.VK_DOWN).modifiers(ALT_MASK));
        JPanelFixture calendar = window.panel("calendar");
        calendar.requireVisible();
        assertThat(GuiActionRunner.execute(() -> ((CalendarPanel) calendar.target()).getSelectedDate()))
                .isEqualTo("2026-11-24");
        GuiActionRunner.execute(() -> ((CalendarPanel) calendar.target()).setSelectedDate(LocalDate.of(2026, 11, 20)));

        window.textBox("date").requireText("2026-11-20");
        window.textBox("date").requireFocused();
    }

    @Test
    void darkThemeIsAppliedAndRemembered() {
        FrameFixture window = harness.open(harness.directConfig());

        window.menuItem("darkTheme").click();
        assertThat(GuiActionRunner.execute(() -> UIManager.getLookAndFeel().getName()))
                .containsIgnoringCase("dark");
        assertThat(GuiActionRunner.execute(
                        () -> new WindowMemory("branch-office-" + BranchWindowHarness.BRANCH).theme()))
                .isEqualTo(Theme.DARK);

        window.menuItem("lightTheme").click();
        assertThat(GuiActionRunner.execute(
                        () -> new WindowMemory("branch-office-" + BranchWindowHarness.BRANCH).theme()))
                .isEqualTo(Theme.LIGHT);
    }

    private List<SaleChange> drainQueue() throws Exception {
        Channel channel = sandbox.channel();
        SaleChangeCodec codec = new SaleChangeCodec();
        List<SaleChange> changes = new ArrayList<>();
        for (Delivery message : QueueReader.drain(channel, sandbox.topology().salesQueue())) {
            SaleChange change = codec.decode(message.getBody());
            if (changes.stream().noneMatch(seen -> seen.seq() == change.seq())) {
                changes.add(change);
            }
        }
        return changes;
    }
}
