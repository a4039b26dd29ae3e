package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.salesync.branch.BranchOffice;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.sale.SaleInput;
import io.salesync.desktop.WindowPlacement;
import io.salesync.desktop.testing.GuiTesting;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.HeadOfficeDesktop;
import io.salesync.headoffice.config.HeadOfficeConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.assertj.swing.core.BasicRobot;
import org.assertj.swing.core.matcher.JLabelMatcher;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.fixture.JButtonFixture;
import org.assertj.swing.fixture.JLabelFixture;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager's view-only window ({@code run --view}) beside a consuming head office and a real
 * branch: it shows the branch's new sales within seconds, reading the database as a MySQL user that
 * may only read; it adds no consumer to the queue, keeps every write action off and says why, and
 * needs no broker at all. The first test saves {@code head-office-view.png} in the directory named
 * by {@code -Dsalesync.screenshots} (default {@code target/}).
 */
class HeadOfficeViewIT {

    private static final Logger log = LoggerFactory.getLogger(HeadOfficeViewIT.class);
    private static final String PREFERENCES = "head-office-view-it";
    private static final String VIEWER_PASSWORD = "view-pw";
    private static final Duration LIVE = Duration.ofSeconds(5);

    private Lab lab;
    private HeadOfficeDesktop view;
    private FrameFixture window;

    @BeforeAll
    static void display() {
        GuiTesting.setUpOnce();
    }

    @BeforeEach
    void setUp() {
        lab = new Lab();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (window != null) {
                window.cleanUp();
            }
            if (view != null) {
                view.stop();
            }
        } finally {
            lab.close();
            System.clearProperty(WindowPlacement.PROPERTY);
            try {
                Preferences.userRoot()
                        .node(System.getProperty("salesync.preferences.root", "io/salesync-tests") + "/" + PREFERENCES)
                        .removeNode();
            } catch (BackingStoreException e) {
                // the next run starts from whatever was saved
            }
        }
    }

    @Test
    void aViewWindowShowsNewSalesLiveAsAUserThatMayOnlyReadAndNeverConsumes() throws Exception {
        HeadOffice headOffice = lab.headOffice();
        BranchOffice bo1 = lab.branch("bo1");
        BranchOffice bo2 = lab.branch("bo2");
        Map<String, String> viewer = readOnlyUser();
        String queue = lab.sandbox().topology().salesQueue();
        Channel inspector = lab.sandbox().channel();
        assertThat(inspector.queueDeclarePassive(queue).getConsumerCount()).isEqualTo(1);

        openView(viewer, lab.sandbox().broker(), "0,0,1190,1040");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(window.label("databaseStatus").text()).isEqualTo("Database: connected"));
        window.requireTitle("salesync - Head office (view only)");
        assertThat(window.label("brokerStatus").text()).isEqualTo("View only");

        LocalDate today = LocalDate.now();
        String[][] products = {{"Pen Set", "12.50"}, {"Stapler", "8.99"}, {"Desk Lamp", "29.90"}, {"Notebook", "3.20"}};
        String[] regions = {"North", "South", "East", "West"};
        int sales = 0;
        for (int day = 6; day >= 1; day--) {
            for (BranchOffice branch : List.of(bo1, bo2)) {
                for (int i = 0; i < (branch == bo1 ? 3 : 2); i++) {
                    String[] product = products[(day + i) % products.length];
                    branch.saleService()
                            .create(new SaleInput(
                                    today.minusDays(day),
                                    regions[(day * 3 + i) % regions.length],
                                    product[0],
                                    1 + (day + i) % 9,
                                    new BigDecimal(product[1])));
                    sales++;
                }
            }
        }
        int expected = sales;
        await().atMost(Duration.ofSeconds(20)).until(() -> tableRows() == expected);

        // each new sale at a branch, from its commit to a row in the view window
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int before = tableRows();
            long started = System.nanoTime();
            bo1.saleService().create(new SaleInput(today, "North", "Notebook", 1 + i, new BigDecimal("3.20")));
            await().atMost(LIVE).pollInterval(Duration.ofMillis(20)).until(() -> tableRows() == before + 1);
            millis.add((System.nanoTime() - started) / 1_000_000);
        }
        Collections.sort(millis);
        log.info("A new branch sale showed in the view-only window after {} ms (sorted; poll every 1000 ms)", millis);

        // the view window added no consumer: only the consuming head office's is on the queue
        assertThat(inspector.queueDeclarePassive(queue).getConsumerCount()).isEqualTo(1);

        // which head-office process consumes, as status says it
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () -> assertThat(window.label("headOfficeProcesses").text())
                                .isEqualTo("Head office: active "
                                        + headOffice.consumer().process() + ", 0 standing by"));

        // write actions are off and say why
        refuseOneMessage(inspector);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> GuiActionRunner.execute(
                        () -> window.tabbedPane("tabs").target().getTitleAt(1).equals("Dead letters (1)")));
        window.table("branchHealth").selectRows(0);
        for (String name : List.of("verifyBranch", "resyncBranch")) {
            JButtonFixture button = window.button(name);
            button.requireDisabled();
            assertThat(button.target().getToolTipText())
                    .startsWith("View-only window: this MySQL user may only read.")
                    .contains("./salesync resync --branch ID");
        }
        window.tabbedPane("tabs").selectTab(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> window.table("deadLetters").target().getRowCount() == 1);
        window.table("deadLetters").selectRows(0);
        for (String name : List.of("retryDeadLetter", "discardDeadLetter")) {
            JButtonFixture button = window.button(name);
            button.requireDisabled();
            assertThat(button.target().getToolTipText())
                    .isEqualTo("View-only window: this MySQL user may only read."
                            + " Retry or discard refused messages in the head office service's window.");
        }
        window.tabbedPane("tabs").selectTab(0);

        // the user really may only read
        try (Connection connection = DriverManager.getConnection(
                        viewer.get(DatabaseSettings.URL), viewer.get(DatabaseSettings.USER), VIEWER_PASSWORD);
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(
                            () -> statement.executeUpdate(
                                    "INSERT INTO branch_request (request_id, branch_id, action,"
                                            + " requested_at, requested_by) VALUES ('x', 'bo1', 'resync', CURRENT_TIMESTAMP(3), 'viewer')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("denied");
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE dead_letter_log SET status = 'discarded'"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("denied");
        }

        window.table("salesTable").selectRows(1);
        window.robot().waitForIdle();
        await().pollDelay(Duration.ofMillis(1500)).until(() -> true); // the chart is drawn on its own thread
        Path directory = Path.of(System.getProperty("salesync.screenshots", "target"));
        GuiTesting.screenshot(window.target(), directory.resolve("head-office-view.png"));
    }

    @Test
    void aViewWindowNeedsNoBrokerAndWaitsUntilTheHeadOfficeHasCreatedItsTables() throws Exception {
        Map<String, String> viewer = readOnlyUser();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> deadBroker = lab.sandbox().broker("amqp://127.0.0.1:" + closedPort + "/salesync");

        openView(viewer, deadBroker, "0,0,1280,800");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(banner().text())
                        .contains(
                                "the head office has not created its tables yet; start the head office service first"));
        assertThat(window.label("databaseStatus").text()).isEqualTo("Database: not set up");
        assertThat(window.label("brokerStatus").text()).isEqualTo("View only");

        lab.headOffice();
        BranchOffice bo1 = lab.branch("bo1");
        bo1.saleService().create(new SaleInput(LocalDate.now(), "East", "Stapler", 3, new BigDecimal("8.99")));
        // the window tries again 1 s, 2 s, 4 s ... apart, then refreshes as the database changes
        await().atMost(Duration.ofSeconds(30)).until(() -> tableRows() == 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> banner().requireNotVisible());
        assertThat(window.label("databaseStatus").text()).isEqualTo("Database: connected");

        bo1.saleService().create(new SaleInput(LocalDate.now(), "West", "Pen Set", 2, new BigDecimal("12.50")));
        await().atMost(LIVE).until(() -> tableRows() == 2);
        assertThat(window.label("brokerStatus").text()).isEqualTo("View only");
    }

    @Test
    void aViewWindowKeepsTheActionsItsUserMayMakeAndNoOthers() throws Exception {
        lab.headOffice();
        BranchOffice bo1 = lab.branch("bo1");
        bo1.saleService().create(new SaleInput(LocalDate.now(), "North", "Pen Set", 1, new BigDecimal("12.50")));
        refuseOneMessage(lab.sandbox().channel());
        await().atMost(Duration.ofSeconds(15))
                .until(() -> lab.sandbox().count("ho", "SELECT COUNT(*) FROM dead_letter_log") == 1);
        // may read everything and decide on dead letters, but not record requests to branches
        Map<String, String> decider = readOnlyUser();
        try (Connection root = lab.sandbox().mysql().connect();
                Statement statement = root.createStatement()) {
            statement.execute("GRANT UPDATE ON " + lab.sandbox().schema("ho") + ".dead_letter_log TO '"
                    + decider.get(DatabaseSettings.USER) + "'@'%'");
        }

        openView(decider, lab.sandbox().broker(), "0,0,1280,800");
        await().atMost(Duration.ofSeconds(20)).until(() -> tableRows() == 1);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> window.table("branchHealth").target().getRowCount() == 1);
        window.table("branchHealth").selectRows(0);
        window.button("verifyBranch").requireDisabled();
        assertThat(window.button("resyncBranch").target().getToolTipText())
                .startsWith("View-only window: this MySQL user may only read.");

        window.tabbedPane("tabs").selectTab(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> window.table("deadLetters").target().getRowCount() == 1);
        window.table("deadLetters").selectRows(0);
        window.button("retryDeadLetter").requireEnabled();
        window.button("discardDeadLetter").requireEnabled().click();
        GuiTesting.answer(window.optionPane(Timeout.timeout(20_000)).buttonWithText("Discard"));
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        lab.sandbox().count("ho", "SELECT COUNT(*) FROM dead_letter_log WHERE status = 'discarded'")
                                == 1);
    }

    /** A MySQL user with SELECT on the head office's schema only, as sql/init creates salesync_ho_view. */
    private Map<String, String> readOnlyUser() {
        String user = lab.sandbox().mysqlUser("ho", "view", VIEWER_PASSWORD, "SELECT");
        Map<String, String> values = new HashMap<>(lab.sandbox().database("ho"));
        values.put(DatabaseSettings.USER, user);
        values.put(DatabaseSettings.PASSWORD, VIEWER_PASSWORD);
        return values;
    }

    private void openView(Map<String, String> database, Map<String, String> broker, String bounds) {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(database);
        values.putAll(broker);
        values.put(HeadOfficeConfig.VIEW_ONLY, "true");
        System.setProperty(WindowPlacement.PROPERTY, bounds);
        view = HeadOfficeDesktop.start(HeadOfficeConfig.from(ConfigSource.of(values)), PREFERENCES);
        window = WindowFinder.findFrame("headOfficeWindow")
                .withTimeout(10_000)
                .using(BasicRobot.robotWithCurrentAwtHierarchy());
    }

    /** A message the consuming head office refuses: it lands in the dead letters. */
    private void refuseOneMessage(Channel channel) throws IOException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/json")
                .messageId("bo1:9001")
                .type("sale.changed")
                .userId(lab.sandbox().amqp().user())
                .build();
        channel.basicPublish(
                lab.sandbox().topology().salesExchange(),
                "sales.bo1",
                true,
                properties,
                "not json at all".getBytes(StandardCharsets.UTF_8));
    }

    private int tableRows() {
        return GuiActionRunner.execute(() -> window.table("salesTable").target().getRowCount());
    }

    private JLabelFixture banner() {
        return window.label(JLabelMatcher.withName("banner"));
    }
}
