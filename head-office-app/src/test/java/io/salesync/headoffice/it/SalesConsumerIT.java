package io.salesync.headoffice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.salesync.common.amqp.MessageHeaders;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.common.testing.Sandbox;
import io.salesync.common.testing.TcpProxy;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The head-office side against real MySQL and RabbitMQ, fed by a test publisher. */
class SalesConsumerIT {

    private static final TaxRate RATE = TaxRate.of("0.08");

    private final SaleChangeCodec codec = new SaleChangeCodec();
    private Sandbox sandbox;
    private HeadOffice headOffice;
    private Channel publisher;

    @BeforeEach
    void setUp() {
        sandbox = new Sandbox();
        publisher = sandbox.channel();
    }

    @AfterEach
    void tearDown() {
        if (headOffice != null) {
            headOffice.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void duplicatedReplayedAndReorderedChangesConvergeToTheSameState() throws Exception {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Sale a1 = Sale.create(a, "bo1", input("North", "Paper", 1), RATE);
        Sale a2 = a1.revise(input("North", "Paper", 2), RATE);
        Sale a3 = a2.revise(input("South", "Paper", 3), RATE);
        Sale b1 = Sale.create(b, "bo1", input("East", "Pens", 5), RATE);
        Sale b2 = b1.markDeleted();
        List<SaleChange> inOrder = List.of(change(1, a1), change(2, b1), change(3, a2), change(4, a3), change(5, b2));
        List<SaleChange> shuffled = new ArrayList<>(inOrder);
        shuffled.addAll(inOrder);
        shuffled.addAll(inOrder.subList(1, 3));
        Collections.shuffle(shuffled, new Random(7));
        start();

        for (SaleChange change : shuffled) {
            publish(change);
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> appliedSeq("bo1") == 5 && queueDepth() == 0);
        assertThat(row("bo1", a)).isEqualTo("South|Paper|3|v3|live");
        assertThat(row("bo1", b)).isEqualTo("East|Pens|5|v2|deleted");
        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM sale")).isEqualTo(2);
    }

    @Test
    void aLateOlderUpdateNeverResurrectsADeletedSale() throws Exception {
        UUID id = UUID.randomUUID();
        Sale v1 = Sale.create(id, "bo1", input("North", "Desk", 1), RATE);
        Sale v2 = v1.revise(input("North", "Desk", 2), RATE);
        Sale v3 = v2.markDeleted();
        start();

        publish(change(1, v1));
        publish(change(3, v3));
        await().atMost(Duration.ofSeconds(10)).until(() -> appliedSeq("bo1") == 3);
        publish(change(2, v2));
        publish(change(1, v1));

        // change 1 again is a duplicate: skipped, so settled but not counted in the branch's progress
        await().atMost(Duration.ofSeconds(10))
                .until(() -> queueDepth() == 0 && headOffice.consumer().status().appliedChanges() >= 4);
        assertThat(row("bo1", id)).isEqualTo("North|Desk|2|v3|deleted");
        assertThat(applied()).isEqualTo(3);
    }

    @Test
    void poisonMessagesGoToTheDeadLetterQueueWithAReasonWhileGoodOnesKeepFlowing() throws Exception {
        start();
        Sale good1 = Sale.create(UUID.randomUUID(), "bo1", input("North", "Good", 1), RATE);
        Sale good2 = Sale.create(UUID.randomUUID(), "bo1", input("North", "Good", 2), RATE);
        Sale forged = Sale.create(UUID.randomUUID(), "bo2", input("North", "Forged", 2), RATE);

        publish(change(1, good1));
        publishRaw("sales.bo1", "{not json".getBytes(StandardCharsets.UTF_8), "bo1:x");
        publishRaw("sales.bo1", codec.encode(change(2, forged)), "bo2:2");
        String wrongTotal = new String(codec.encode(change(3, good2)), StandardCharsets.UTF_8)
                .replace("\"total\":\"" + good2.total().toPlainString() + "\"", "\"total\":\"1000000.00\"");
        publishRaw("sales.bo1", wrongTotal.getBytes(StandardCharsets.UTF_8), "bo1:3");
        publish(change(4, good2));

        await().atMost(Duration.ofSeconds(15)).until(() -> deadLetterDepth() == 3 && queueDepth() == 0);
        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM sale WHERE branch_id = 'bo1'"))
                .isEqualTo(2);
        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM sale WHERE branch_id = 'bo2'"))
                .isZero();
        List<String> reasons = new ArrayList<>();
        for (GetResponse message = publisher.basicGet(sandbox.topology().deadLetterQueue(), true);
                message != null;
                message = publisher.basicGet(sandbox.topology().deadLetterQueue(), true)) {
            reasons.add(String.valueOf(message.getProps().getHeaders().get(MessageHeaders.DEAD_LETTER_REASON)));
            assertThat(String.valueOf(message.getProps().getHeaders().get(MessageHeaders.ORIGINAL_ROUTING_KEY)))
                    .isEqualTo("sales.bo1");
        }
        assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("not valid JSON"));
        assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("claims branch 'bo2'"));
        assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("Total"));
        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM dead_letter_log WHERE claimed_branch = 'bo1'"))
                .isEqualTo(3);
        assertThat(headOffice.consumer().status().deadLettered()).isEqualTo(3);
    }

    @Test
    void aQueueDeletedUnderTheHeadOfficeIsDeclaredAgainAndTheBranchesAreAskedForWhatItHeld() throws Exception {
        start();
        Sale first = Sale.create(UUID.randomUUID(), "bo1", input("North", "Before", 1), RATE);
        publish(change(1, first));
        await().atMost(Duration.ofSeconds(10)).until(() -> appliedSeq("bo1") == 1);
        assertThat(publisher.queueDeclarePassive(sandbox.topology().controlQueue("bo1")))
                .as("the control queue of a branch heard from")
                .isNotNull();

        Channel admin = sandbox.amqpConnection().createChannel();
        admin.queueDelete(sandbox.topology().salesQueue());

        await().atMost(Duration.ofSeconds(20))
                .until(() -> queueExists() && headOffice.consumer().status().brokerConnected());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> sandbox.count(
                                "ho",
                                "SELECT COUNT(*) FROM branch_request WHERE branch_id = 'bo1' AND action = 'resend' AND from_seq = 2")
                        == 1);
        Sale second = Sale.create(UUID.randomUUID(), "bo1", input("North", "After", 2), RATE);
        publish(change(2, second));
        await().atMost(Duration.ofSeconds(10)).until(() -> appliedSeq("bo1") == 2);
        GetResponse request = publisher.basicGet(sandbox.topology().controlQueue("bo1"), true);
        assertThat(request)
                .as("the resend request waits in the branch's control queue")
                .isNotNull();
        assertThat(new String(request.getBody(), StandardCharsets.UTF_8))
                .contains("\"action\":\"resend\"", "\"fromSeq\":2");
    }

    private boolean queueExists() {
        try (Channel probe = sandbox.amqpConnection().createChannel()) {
            probe.queueDeclarePassive(sandbox.topology().salesQueue());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void whileTheDatabaseIsDownMessagesStayQueuedAndAreAppliedWhenItReturns() throws Exception {
        try (TcpProxy proxy = new TcpProxy(
                sandbox.mysql().hostAndPort().getHost(),
                sandbox.mysql().hostAndPort().getPort())) {
            String viaProxy = "jdbc:mysql://127.0.0.1:" + proxy.port() + "/" + sandbox.schema("ho");
            start(sandbox.database("ho", viaProxy));
            Sale sale = Sale.create(UUID.randomUUID(), "bo1", input("West", "Lamp", 2), RATE);

            proxy.cut();
            publish(change(1, sale));

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> headOffice.consumer().status().databaseProblem() != null);
            assertThat(headOffice.consumer().status().databaseProblem()).contains("Cannot reach MySQL");
            assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM sale")).isZero();

            proxy.restore();
            // the applier clears the problem just after its commit, and the consumer thread then settles
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(afterOutage())
                            .isEqualTo("sales 1, ready 0, unsettled 0, dead letters 0, database problem null"));
        }
    }

    @Test
    void aBranchWaitingForALockHoldsUpNoOtherBranchButIsAcknowledgedFirst() throws Exception {
        java.net.URI amqp = sandbox.amqp().uri();
        try (TcpProxy broker = new TcpProxy(amqp.getHost(), amqp.getPort() > 0 ? amqp.getPort() : 5672)) {
            start(sandbox.database("ho"), sandbox.broker("amqp://127.0.0.1:" + broker.port() + amqp.getRawPath()));
            Channel confirming = sandbox.channel();
            confirming.confirmSelect();
            for (String branch : List.of("bo1", "bo2")) {
                publish(
                        confirming,
                        change(1, Sale.create(UUID.randomUUID(), branch, input("North", "First", 1), RATE)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> appliedSeq("bo1") == 1 && appliedSeq("bo2") == 1);

            try (Connection blocker = sandbox.dataSource("ho").getConnection()) {
                blocker.setAutoCommit(false);
                try (PreparedStatement lock = blocker.prepareStatement(
                                "SELECT last_seq FROM branch_progress WHERE branch_id = 'bo1' FOR UPDATE");
                        ResultSet rs = lock.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
                for (long seq = 2; seq <= 6; seq++) {
                    publish(
                            confirming,
                            change(seq, Sale.create(UUID.randomUUID(), "bo1", input("North", "Held", 1), RATE)));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> readyMessages() == 0); // taken, waiting for the lock
                for (long seq = 2; seq <= 6; seq++) {
                    publish(
                            confirming,
                            change(seq, Sale.create(UUID.randomUUID(), "bo2", input("South", "Free", 1), RATE)));
                }

                await().atMost(Duration.ofSeconds(10)).until(() -> appliedSeq("bo2") == 6);
                assertThat(appliedSeq("bo1")).as("bo1 waits for the lock").isEqualTo(1);
                broker.cut(); // the connection drops: every message not acknowledged yet goes back to the queue
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(readyMessages())
                                .as("back in the queue: bo1's five and bo2's five, not acknowledged ahead of bo1's")
                                .isEqualTo(10));
                blocker.rollback();
            }
            broker.restore();

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> appliedSeq("bo1") == 6
                            && readyMessages() == 0
                            && headOffice.consumer().status().waiting() == 0);
            assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM sale")).isEqualTo(12);
            assertThat(deadLetterDepth()).isZero();
        }
    }

    private void publish(Channel channel, SaleChange change) throws Exception {
        channel.basicPublish(
                sandbox.topology().salesExchange(),
                "sales." + change.branchId(),
                true,
                new AMQP.BasicProperties.Builder()
                        .deliveryMode(2)
                        .contentType("application/json")
                        .messageId(change.messageId())
                        .type(SaleChange.MESSAGE_TYPE)
                        .userId(sandbox.amqp().user())
                        .build(),
                codec.encode(change));
        channel.waitForConfirmsOrDie(5_000);
    }

    private long readyMessages() throws IOException {
        return publisher.queueDeclarePassive(sandbox.topology().salesQueue()).getMessageCount();
    }

    private void start() {
        start(sandbox.database("ho"));
    }

    private void start(Map<String, String> database) {
        start(database, sandbox.broker());
    }

    private void start(Map<String, String> database, Map<String, String> brokerKeys) {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(database);
        values.putAll(brokerKeys);
        values.put(HeadOfficeConfig.BATCH_SIZE, "50");
        values.put(HeadOfficeConfig.PREFETCH, "100");
        headOffice = HeadOffice.open(HeadOfficeConfig.from(ConfigSource.of(values)), status -> {})
                .startConsumer();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> headOffice.consumer().status().brokerConnected());
    }

    private void publish(SaleChange change) throws IOException {
        publishRaw("sales." + change.branchId(), codec.encode(change), change.messageId());
    }

    private void publishRaw(String routingKey, byte[] body, String messageId) throws IOException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/json")
                .messageId(messageId)
                .type(SaleChange.MESSAGE_TYPE)
                .userId(sandbox.amqp().user())
                .build();
        publisher.basicPublish(sandbox.topology().salesExchange(), routingKey, true, properties, body);
    }

    private SaleChange change(long seq, Sale sale) {
        return SaleChange.of(seq, Instant.parse("2026-11-26T10:00:00Z").plusSeconds(seq), sale);
    }

    private static SaleInput input(String region, String product, int qty) {
        return new SaleInput(LocalDate.of(2026, 11, 26), region, product, qty, new BigDecimal("2.50"));
    }

    private long queueDepth() throws IOException {
        return publisher.queueDeclarePassive(sandbox.topology().salesQueue()).getMessageCount()
                + headOffice.consumer().status().waiting();
    }

    /** What a test of an outage waits for, in words, so that a timeout says which part is missing. */
    private String afterOutage() throws IOException {
        return "sales " + sandbox.count("ho", "SELECT COUNT(*) FROM sale") + ", ready " + readyMessages()
                + ", unsettled " + headOffice.consumer().status().waiting() + ", dead letters " + deadLetterDepth()
                + ", database problem " + headOffice.consumer().status().databaseProblem();
    }

    private long deadLetterDepth() throws IOException {
        return publisher
                .queueDeclarePassive(sandbox.topology().deadLetterQueue())
                .getMessageCount();
    }

    private long appliedSeq(String branch) {
        return sandbox.count(
                "ho", "SELECT COALESCE(MAX(last_seq), 0) FROM branch_progress WHERE branch_id = ?", branch);
    }

    private long applied() {
        return sandbox.count("ho", "SELECT COALESCE(SUM(applied_changes), 0) FROM branch_progress");
    }

    private String row(String branch, UUID id) throws SQLException {
        try (Connection connection = sandbox.dataSource("ho").getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT region, product, qty, version, deleted FROM sale WHERE branch_id = ? AND sale_id = ?")) {
            statement.setString(1, branch);
            statement.setString(2, id.toString());
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).as("row for %s", id).isTrue();
                return rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getInt(3) + "|v" + rs.getLong(4) + "|"
                        + (rs.getBoolean(5) ? "deleted" : "live");
            }
        }
    }
}
