package io.salesync.headoffice.ui;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.common.testing.Sandbox;
import io.salesync.desktop.WindowPlacement;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;

/**
 * One head office with its real window on a private sandbox (own schema, own exchanges and queues),
 * and a test publisher that sends changes the way branches bo1 and bo2 would.
 */
final class WindowHarness implements AutoCloseable {

    static final TaxRate RATE = TaxRate.of("0.08");
    /** Window preferences of the tests, under the test root GuiTesting sets; removed after each test. */
    static final String PREFERENCES = "head-office-it";

    final Sandbox sandbox = new Sandbox();
    final HeadOffice headOffice;
    final HeadOfficeWindow window;
    final FrameFixture fixture;
    private final Channel publisher = sandbox.channel();
    private final SaleChangeCodec codec = new SaleChangeCodec();
    private final Map<String, Long> seq = new HashMap<>();
    private javax.sql.DataSource dataSource;

    WindowHarness(String bounds) {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(sandbox.database("ho"));
        values.putAll(sandbox.broker());
        values.put(HeadOfficeConfig.BATCH_SIZE, "50");
        values.put(HeadOfficeConfig.PREFETCH, "100");
        HeadOfficeConfig config = HeadOfficeConfig.from(ConfigSource.of(values));
        System.setProperty(WindowPlacement.PROPERTY, bounds);
        window = HeadOfficeWindow.open(PREFERENCES, () -> {});
        headOffice = HeadOffice.open(config, window::consumerStatus);
        window.connected(headOffice.services());
        headOffice.startConsumer();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> GuiActionRunner.execute(
                        () -> window.frame() != null && window.frame().isShowing()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> headOffice.consumer().status().brokerConnected());
        fixture = new FrameFixture(window.frame());
    }

    HeadOfficeFrame frame() {
        return window.frame();
    }

    /** A new sale at a branch, published as its next change. */
    Sale sell(String branch, LocalDate date, String region, String product, int qty, String cost) throws IOException {
        Sale sale = Sale.create(
                UUID.randomUUID(), branch, new SaleInput(date, region, product, qty, new BigDecimal(cost)), RATE);
        publish(sale);
        return sale;
    }

    /** Publishes a sale (any version) as the branch's next change. */
    void publish(Sale sale) throws IOException {
        publish(sale, Instant.now());
    }

    /** Publishes a sale as the branch's next change, made at {@code occurredAt} (branch clock). */
    void publish(Sale sale, Instant occurredAt) throws IOException {
        long next = seq.merge(sale.branchId(), 1L, Long::sum);
        SaleChange change = SaleChange.of(next, occurredAt, sale);
        publishRaw("sales." + sale.branchId(), codec.encode(change), change.messageId());
    }

    void publishRaw(String routingKey, byte[] body, String messageId) throws IOException {
        publishRaw(routingKey, body, messageId, SaleChange.MESSAGE_TYPE);
    }

    /** Publishes a checkpoint of a branch as its next message. */
    void checkpoint(String branch, io.salesync.common.db.SaleChecksum.Figures figures) throws IOException {
        long next = seq.merge(branch, 1L, Long::sum);
        io.salesync.common.event.BranchCheckpoint checkpoint =
                new io.salesync.common.event.BranchCheckpoint(branch, next, Instant.now(), figures, "requested");
        publishRaw("sales." + branch, codec.encode(checkpoint), checkpoint.messageId(), checkpoint.messageType());
    }

    void publishRaw(String routingKey, byte[] body, String messageId, String type) throws IOException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/json")
                .messageId(messageId)
                .type(type)
                .userId(sandbox.amqp().user())
                .build();
        publisher.basicPublish(sandbox.topology().salesExchange(), routingKey, true, properties, body);
    }

    byte[] encode(Sale sale, long sequence) {
        return codec.encode(SaleChange.of(sequence, Instant.now(), sale));
    }

    /** Rows of the window's table model (what the table shows). */
    int tableRows() {
        return GuiActionRunner.execute(() -> frame().model().getRowCount());
    }

    /**
     * Waits until a component with this name is showing: the filter choices (a branch's check box)
     * come with the refresh after the rows, so a row count alone does not mean they are there.
     */
    void awaitShowing(String name) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !fixture.robot()
                        .finder()
                        .findAll(
                                frame(),
                                new org.assertj.swing.core.GenericTypeMatcher<java.awt.Component>(
                                        java.awt.Component.class, true) {
                                    @Override
                                    protected boolean isMatching(java.awt.Component component) {
                                        return name.equals(component.getName());
                                    }
                                })
                        .isEmpty());
    }

    /** Opens the branch filter's popup and waits until its search field has the focus. */
    void openBranchPopup() {
        fixture.button("branchFilter").click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> GuiActionRunner.execute(
                        () -> fixture.textBox("branchSearch").target().isFocusOwner()));
    }

    /**
     * Ticks (or unticks) branches as a person would: each typed into the popup's search field, then
     * Enter ticks the first branch the search shows. The popup stays open.
     */
    void toggleBranches(String... branches) {
        for (String branch : branches) {
            fixture.textBox("branchSearch").deleteText().enterText(branch);
            fixture.textBox("branchSearch").pressAndReleaseKeys(java.awt.event.KeyEvent.VK_ENTER);
        }
    }

    /** The text of the branch filter's button, without its arrow. */
    String branchSummary() {
        return GuiActionRunner.execute(
                        () -> fixture.button("branchFilter").target().getText())
                .replace("\u25be", "")
                .strip();
    }

    String label(String name) {
        return fixture.label(name).text();
    }

    long count(String sql, Object... parameters) {
        return sandbox.count("ho", sql, parameters);
    }

    /** A money sum over live sales, formatted as the window formats it. */
    String sum(String column, String where, Object... parameters) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT COALESCE(SUM(" + column + "), 0) FROM sale WHERE deleted = 0" + where)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                BigDecimal sum = rs.getBigDecimal(1);
                return GuiActionRunner.execute(
                        () -> column.equals("qty") ? Formats.count(sum.longValue()) : Formats.money(sum.setScale(2)));
            }
        }
    }

    void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private javax.sql.DataSource dataSource() {
        if (dataSource == null) {
            dataSource = sandbox.dataSource("ho");
        }
        return dataSource;
    }

    private static void forgetWindowState() {
        try {
            java.util.prefs.Preferences.userRoot()
                    .node(System.getProperty("salesync.preferences.root", "io/salesync-tests") + "/" + PREFERENCES)
                    .removeNode();
        } catch (java.util.prefs.BackingStoreException e) {
            // the next test starts from whatever was saved
        }
    }

    @Override
    public void close() {
        try {
            GuiActionRunner.execute(() -> frame().close());
            fixture.cleanUp();
        } finally {
            headOffice.close();
            sandbox.close();
            forgetWindowState();
            System.clearProperty(WindowPlacement.PROPERTY);
        }
    }
}
