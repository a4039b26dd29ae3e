package io.salesync.headoffice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.common.testing.Sandbox;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A branch's control queue is a replicated (quorum) queue, so that a request waits for its branch
 * through the loss of a cluster node; the classic control queues of earlier versions are replaced
 * when empty and kept, with what they hold, until their branch has taken it.
 */
class ControlQueueUpgradeIT {

    private final SaleChangeCodec codec = new SaleChangeCodec();
    private Sandbox sandbox;
    private Topology topology;
    private HeadOffice headOffice;
    private Channel admin;

    @BeforeEach
    void setUp() {
        sandbox = new Sandbox();
        topology = sandbox.topology();
        admin = sandbox.channel();
    }

    @AfterEach
    void tearDown() {
        if (headOffice != null) {
            headOffice.close();
        }
        sandbox.close();
    }

    @Test
    void aBranchHeardFromForTheFirstTimeGetsAReplicatedControlQueue() throws Exception {
        start();
        publish(1, "bo1");

        await().atMost(Duration.ofSeconds(15)).until(() -> exists(topology.controlQueue("bo1")));
        assertThat(isQuorum(topology.controlQueue("bo1"))).isTrue();
    }

    @Test
    void anEmptyClassicQueueOfAnEarlierVersionIsReplacedAndOneHoldingARequestIsKeptUntilItIsTaken() throws Exception {
        admin.exchangeDeclare(topology.controlExchange(), BuiltinExchangeType.DIRECT, true);
        for (String branch : new String[] {"bo1", "bo2"}) {
            admin.queueDeclare(topology.controlQueue(branch), true, false, false, Map.of("x-queue-type", "classic"));
            admin.queueBind(topology.controlQueue(branch), topology.controlExchange(), branch);
        }
        admin.basicPublish(
                topology.controlExchange(),
                "bo2",
                new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                "{\"earlier\":\"request\"}".getBytes(StandardCharsets.UTF_8));
        start();

        publish(1, "bo1");
        publish(1, "bo2");

        await().atMost(Duration.ofSeconds(15)).until(() -> appliedSeq("bo1") == 1 && appliedSeq("bo2") == 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> isQuorum(topology.controlQueue("bo1")));
        assertThat(isQuorum(topology.controlQueue("bo2")))
                .as("holds a request: kept")
                .isFalse();
        assertThat(admin.queueDeclarePassive(topology.controlQueue("bo2")).getMessageCount())
                .isEqualTo(1);

        assertThat(admin.basicGet(topology.controlQueue("bo2"), true))
                .as("the branch takes its request")
                .isNotNull();
        headOffice.close();
        start();
        publish(2, "bo2");

        await().atMost(Duration.ofSeconds(15)).until(() -> appliedSeq("bo2") == 2);
        await().atMost(Duration.ofSeconds(15)).until(() -> isQuorum(topology.controlQueue("bo2")));
        admin.basicPublish(
                topology.controlExchange(),
                "bo2",
                true,
                new AMQP.BasicProperties.Builder().build(),
                "{}".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        admin.queueDeclarePassive(topology.controlQueue("bo2")).getMessageCount() == 1);
    }

    /** A quorum queue refuses a declaration as a classic queue (406), on a channel of the test's own. */
    private boolean isQuorum(String queue) throws Exception {
        try (Channel probe = sandbox.amqpConnection().createChannel()) {
            probe.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "classic"));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private boolean exists(String queue) {
        try (Channel probe = sandbox.amqpConnection().createChannel()) {
            probe.queueDeclarePassive(queue);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void start() {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(sandbox.database("ho"));
        values.putAll(sandbox.broker());
        headOffice = HeadOffice.open(HeadOfficeConfig.from(ConfigSource.of(values)), status -> {})
                .startConsumer();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> headOffice.consumer().status().brokerConnected());
    }

    private void publish(long seq, String branch) throws IOException {
        Sale sale = Sale.create(
                UUID.randomUUID(),
                branch,
                new SaleInput(LocalDate.of(2026, 12, 6), "North", "Paper", 1, new BigDecimal("2.50")),
                TaxRate.of("0.08"));
        SaleChange change =
                SaleChange.of(seq, Instant.parse("2026-12-06T10:00:00Z").plusSeconds(seq), sale);
        admin.basicPublish(
                topology.salesExchange(),
                Topology.routingKey(branch),
                true,
                new AMQP.BasicProperties.Builder()
                        .deliveryMode(2)
                        .contentType("application/json")
                        .messageId(change.messageId())
                        .type(SaleChange.MESSAGE_TYPE)
                        .userId(sandbox.amqp().user())
                        .build(),
                codec.encode(change));
    }

    private long appliedSeq(String branch) {
        return sandbox.count(
                "ho", "SELECT COALESCE(MAX(last_seq), 0) FROM branch_progress WHERE branch_id = '" + branch + "'");
    }
}
