package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.GetResponse;
import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.config.RelaySettings;
import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.event.BranchCommand;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.testing.BrokerUsers;
import io.salesync.common.testing.Sandbox;
import io.salesync.common.testing.ShippedPermissions;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.model.Verification;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A branch's broker user, with exactly the permissions the deployment ships
 * ({@code rabbitmq/definitions.json}, rewritten for this test's names), may publish its own routing
 * key to the sales exchange and read its own control queue, and nothing else: every other
 * operation a broken or hostile branch could try is refused by the broker with
 * {@code ACCESS_REFUSED}, asserted one by one on a fresh channel. The head office declares the
 * topology; a branch started before it ever ran keeps its changes and waits. The broker also
 * refuses a message over 1 MiB.
 */
class BranchPermissionsIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final int ONE_MIB = 1 << 20;

    /** One thing a branch tries on a channel. */
    @FunctionalInterface
    interface Attempt {
        void run(Channel channel) throws Exception;
    }

    private final SaleChangeCodec codec = new SaleChangeCodec();
    private Sandbox sandbox;
    private Topology topology;
    private BrokerUsers users;
    private String bo1;
    private String bo2;
    private Connection branch;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = new Sandbox();
        topology = sandbox.topology();
        users = new BrokerUsers(sandbox.amqp());
        bo1 = sandbox.prefix() + "-bo1";
        bo2 = sandbox.prefix() + "-bo2";
        for (String id : new String[] {bo1, bo2}) {
            users.create(id, "pw-" + id);
            users.permit(id, ShippedPermissions.branch(sandbox.prefix(), id));
        }
        Channel headOffice = sandbox.channel();
        for (String id : new String[] {bo1, bo2}) {
            topology.declareControlQueue(headOffice, id);
            headOffice.basicPublish(topology.controlExchange(), id, true, null, command(id));
        }
        branch = connectAs(bo1);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (branch != null && branch.isOpen()) {
                branch.close();
            }
            if (sandbox != null) {
                try (Connection admin = sandbox.amqpConnection();
                        Channel channel = admin.createChannel()) {
                    channel.queueDelete(topology.controlQueue(bo1));
                    channel.queueDelete(topology.controlQueue(bo2));
                    channel.exchangeDelete(sandbox.prefix() + ".other");
                }
            }
        } finally {
            if (users != null) {
                users.close();
            }
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    @Test
    void aBranchCannotDeleteTheSalesExchange() throws Exception {
        String sales = topology.salesExchange();
        assertRefused(
                "deleting the sales exchange", "exchange '" + sales + "'", channel -> channel.exchangeDelete(sales));
        assertRefused(
                "deleting the sales exchange if unused",
                "exchange '" + sales + "'",
                channel -> channel.exchangeDelete(sales, true));

        assertThatCode(() -> sandbox.amqpConnection().createChannel().exchangeDeclarePassive(sales))
                .as("the sales exchange is still there")
                .doesNotThrowAnyException();
    }

    @Test
    void aBranchCannotDeclareTheSalesExchangeOrAnyOther() throws Exception {
        String sales = topology.salesExchange();
        String other = sandbox.prefix() + ".other";
        assertRefused(
                "declaring the sales exchange as it is",
                "exchange '" + sales + "'",
                channel -> channel.exchangeDeclare(sales, BuiltinExchangeType.TOPIC, true));
        assertRefused(
                "declaring another exchange",
                "exchange '" + other + "'",
                channel -> channel.exchangeDeclare(other, BuiltinExchangeType.FANOUT, false));
    }

    @Test
    void aBranchCannotDeclareOrDeleteQueues() throws Exception {
        String own = topology.controlQueue(bo1);
        String siphon = sandbox.prefix() + ".siphon";
        assertRefused(
                "declaring its own control queue as it is",
                "queue '" + own + "'",
                channel -> channel.queueDeclare(own, true, false, false, Map.of("x-queue-type", "classic")));
        assertRefused(
                "declaring a queue of its own",
                "queue '" + siphon + "'",
                channel -> channel.queueDeclare(siphon, false, true, true, null));
        assertRefused("declaring a server-named queue", "queue 'amq.gen-", Channel::queueDeclare);
        assertRefused("deleting its own control queue", "queue '" + own + "'", channel -> channel.queueDelete(own));
        assertRefused(
                "deleting another branch's control queue",
                "queue '" + topology.controlQueue(bo2) + "'",
                channel -> channel.queueDelete(topology.controlQueue(bo2)));
        assertRefused(
                "deleting the head office's queue",
                "queue '" + topology.salesQueue() + "'",
                channel -> channel.queueDelete(topology.salesQueue()));
    }

    @Test
    void aBranchCannotBindItsControlQueueOrAnyQueueToAnything() throws Exception {
        String own = topology.controlQueue(bo1);
        String control = topology.controlExchange();
        assertRefused(
                "binding its control queue with another branch's key",
                "queue '" + own + "'",
                channel -> channel.queueBind(own, control, bo2));
        assertRefused(
                "binding its control queue with its own key",
                "queue '" + own + "'",
                channel -> channel.queueBind(own, control, bo1));
        assertRefused(
                "binding its control queue to the sales exchange",
                "queue '" + own + "'",
                channel -> channel.queueBind(own, topology.salesExchange(), "#"));
        assertRefused(
                "unbinding its control queue",
                "queue '" + own + "'",
                channel -> channel.queueUnbind(own, control, bo1));
        assertRefused(
                "binding the head office's queue to the control exchange",
                "queue '" + topology.salesQueue() + "'",
                channel -> channel.queueBind(topology.salesQueue(), control, bo2));
        assertRefused(
                "binding the control exchange to the sales exchange",
                "exchange '" + control + "'",
                channel -> channel.exchangeBind(topology.salesExchange(), control, bo2));

        Channel headOffice = sandbox.channel();
        headOffice.confirmSelect();
        headOffice.basicPublish(control, bo2, true, null, command(bo2));
        headOffice.waitForConfirmsOrDie(5_000);
        assertThat(headOffice.queueDeclarePassive(own).getMessageCount())
                .as("a request for the other branch does not reach this branch's queue")
                .isEqualTo(1);
        assertThat(headOffice.queueDeclarePassive(topology.controlQueue(bo2)).getMessageCount())
                .isEqualTo(2);
    }

    @Test
    void aBranchCannotReadAnotherBranchsControlQueueNorTheHeadOfficesQueues() throws Exception {
        String other = topology.controlQueue(bo2);
        assertRefused(
                "getting from another branch's control queue",
                "queue '" + other + "'",
                channel -> channel.basicGet(other, false));
        assertRefused(
                "consuming another branch's control queue",
                "queue '" + other + "'",
                channel -> channel.basicConsume(other, false, new DefaultConsumer(channel)));
        assertRefused(
                "purging another branch's control queue",
                "queue '" + other + "'",
                channel -> channel.queuePurge(other));
        assertRefused(
                "getting from the head office's queue",
                "queue '" + topology.salesQueue() + "'",
                channel -> channel.basicGet(topology.salesQueue(), false));
        assertRefused(
                "getting from the dead-letter queue",
                "queue '" + topology.deadLetterQueue() + "'",
                channel -> channel.basicGet(topology.deadLetterQueue(), false));

        assertThat(sandbox.channel().queueDeclarePassive(other).getMessageCount())
                .as("the other branch's request")
                .isEqualTo(1);
    }

    @Test
    void aBranchCannotPublishWithAnotherBranchsRoutingKey() throws Exception {
        String sales = topology.salesExchange();
        assertRefused(
                "publishing with another branch's key",
                "topic '" + Topology.routingKey(bo2) + "' in exchange '" + sales + "'",
                channel -> publish(channel, sales, Topology.routingKey(bo2)));
        assertRefused(
                "publishing with a wildcard key",
                "topic 'sales.#' in exchange '" + sales + "'",
                channel -> publish(channel, sales, "sales.#"));
    }

    @Test
    void aBranchCannotPublishToTheControlOrDeadLetterExchange() throws Exception {
        String control = topology.controlExchange();
        assertRefused(
                "publishing a request for another branch",
                "exchange '" + control + "'",
                channel -> publish(channel, control, bo2));
        assertRefused(
                "publishing a request for itself",
                "exchange '" + control + "'",
                channel -> publish(channel, control, bo1));
        assertRefused(
                "publishing a dead letter",
                "exchange '" + topology.deadLetterExchange() + "'",
                channel -> publish(channel, topology.deadLetterExchange(), ""));
        assertRefused(
                "publishing straight to another branch's control queue",
                "exchange 'amq.default'",
                channel -> publish(channel, "", topology.controlQueue(bo2)));
    }

    @Test
    void aBranchCanPublishItsOwnKeyAndGetItsOwnControlMessages() throws Exception {
        Channel channel = branch.createChannel();
        topology.declareForBranch(channel);
        topology.checkControlQueue(channel, bo1);

        publish(channel, topology.salesExchange(), Topology.routingKey(bo1));
        GetResponse request = channel.basicGet(topology.controlQueue(bo1), false);
        channel.basicAck(request.getEnvelope().getDeliveryTag(), false);

        assertThat(codec.decodeCommand(request.getBody()).branchId()).isEqualTo(bo1);
        assertThat(sandbox.channel().queueDeclarePassive(topology.salesQueue()).getMessageCount())
                .isEqualTo(1);
        assertThat(sandbox.channel()
                        .queueDeclarePassive(topology.controlQueue(bo1))
                        .getMessageCount())
                .isZero();
        assertThatCode(() -> channel.basicConsume(topology.controlQueue(bo1), false, new DefaultConsumer(channel)))
                .as("a branch may also consume its control queue")
                .doesNotThrowAnyException();
    }

    @Test
    void theBrokerRefusesAMessageOverOneMebibyte() throws Exception {
        Channel channel = branch.createChannel();
        channel.confirmSelect();
        channel.basicPublish(
                topology.salesExchange(), Topology.routingKey(bo1), true, properties(bo1), new byte[ONE_MIB]);
        channel.waitForConfirmsOrDie(10_000);

        Channel next = branch.createChannel();
        next.confirmSelect();
        next.basicPublish(
                topology.salesExchange(), Topology.routingKey(bo1), true, properties(bo1), new byte[2 * ONE_MIB]);
        Throwable refusal = null;
        try {
            next.waitForConfirmsOrDie(10_000);
        } catch (Exception e) {
            refusal = e;
        }
        if (refusal == null && !"true".equalsIgnoreCase(System.getenv("CI"))) {
            Assumptions.abort("the broker at " + sandbox.amqp().uri() + " took a 2 MiB message: it has no 1 MiB limit"
                    + " (max_message_size); run scripts/setup-local-services.sh, or use the docker compose broker");
        }
        assertThat(refusal).as("a 2 MiB message is refused by the broker").isNotNull();
        assertThat(rootMessage(refusal)).contains("PRECONDITION_FAILED").contains("max size " + ONE_MIB);
        assertThat(sandbox.channel().queueDeclarePassive(topology.salesQueue()).getMessageCount())
                .isEqualTo(1);
    }

    @Test
    void aBranchStartedBeforeTheHeadOfficeEverRanKeepsItsChangesAndWaitsForItsControlQueue() throws Exception {
        try (Connection admin = sandbox.amqpConnection();
                Channel channel = admin.createChannel()) {
            channel.queueDelete(topology.controlQueue(bo1));
            channel.queueDelete(topology.salesQueue());
            channel.queueDelete(topology.deadLetterQueue());
            channel.exchangeDelete(topology.salesExchange());
            channel.exchangeDelete(topology.deadLetterExchange());
            channel.exchangeDelete(topology.controlExchange());
        }
        String ho = sandbox.prefix() + "-ho";
        users.create(ho, "pw-" + ho);
        users.permit(ho, ShippedPermissions.headOffice(sandbox.prefix()));

        try (BranchOffice office =
                BranchOffice.open(branchConfig(), status -> {}).startRelay()) {
            office.saleService()
                    .create(new SaleInput(LocalDate.of(2026, 11, 26), "North", "Paper", 2, new BigDecimal("3.00")));

            await().atMost(WAIT)
                    .until(() -> String.valueOf(office.relay().status().brokerDetail())
                            .contains("does not exist yet"));
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> office.outbox().backlog() == 1);
            assertThat(exists(topology.salesExchange()))
                    .as("the branch declared nothing")
                    .isFalse();
            assertThat(queueExists(topology.controlQueue(bo1)))
                    .as("the branch declared nothing")
                    .isFalse();

            try (HeadOffice headOffice =
                    HeadOffice.open(headOfficeConfig(ho), status -> {}).startConsumer()) {
                await().atMost(WAIT)
                        .until(() -> sandbox.count("ho", "SELECT COUNT(*) FROM sale WHERE branch_id = ?", bo1) == 1);

                headOffice
                        .requests()
                        .send(BranchCommand.of(bo1, BranchCommand.Action.CHECKPOINT, Instant.now(), "test"));

                Verification.Checkpoint checkpoint = await().atMost(WAIT)
                        .until(
                                () -> headOffice.verification().verifications().stream()
                                        .filter(v -> v.branchId().equals(bo1))
                                        .findFirst()
                                        .map(Verification::checkpoint),
                                Optional::isPresent)
                        .orElseThrow();
                assertThat(checkpoint.trigger()).isEqualTo("requested");
                assertThat(checkpoint.matched()).isTrue();
            }
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------

    /** {@code what}, tried on a fresh channel of the branch, is refused by the broker naming {@code resource}. */
    private void assertRefused(String what, String resource, Attempt attempt) throws IOException {
        Channel channel = branch.createChannel();
        Throwable refusal = catchThrowable(() -> attempt.run(channel));
        assertThat(refusal).as("a branch succeeded in %s", what).isNotNull();
        assertThat(rootMessage(refusal)).as("why %s failed", what).contains("ACCESS_REFUSED - access to " + resource);
        assertThat(channel.isOpen()).as("the channel after %s", what).isFalse();
    }

    private void publish(Channel channel, String exchange, String routingKey) throws Exception {
        channel.confirmSelect();
        channel.basicPublish(exchange, routingKey, true, properties(bo1), "{}".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
    }

    private byte[] command(String branchId) {
        return codec.encode(BranchCommand.of(branchId, BranchCommand.Action.CHECKPOINT, Instant.now(), "test"));
    }

    private boolean exists(String exchange) {
        try (Connection admin = sandbox.amqpConnection();
                Channel channel = admin.createChannel()) {
            channel.exchangeDeclarePassive(exchange);
            return true;
        } catch (IOException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean queueExists(String queue) {
        try (Connection admin = sandbox.amqpConnection();
                Channel channel = admin.createChannel()) {
            channel.queueDeclarePassive(queue);
            return true;
        } catch (IOException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private BranchConfig branchConfig() {
        Map<String, String> values = new HashMap<>(BranchConfig.defaults(bo1));
        values.putAll(sandbox.database("bo1"));
        values.putAll(sandbox.broker());
        values.put(BrokerSettings.USER, bo1);
        values.put(BrokerSettings.PASSWORD, "pw-" + bo1);
        values.put(RelaySettings.IDLE_POLL_MS, "100");
        values.put(BranchConfig.CHECKPOINT_INTERVAL_S, "0");
        return BranchConfig.from(ConfigSource.of(values));
    }

    private HeadOfficeConfig headOfficeConfig(String user) {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(sandbox.database("ho"));
        values.putAll(sandbox.broker());
        values.put(BrokerSettings.USER, user);
        values.put(BrokerSettings.PASSWORD, "pw-" + user);
        return HeadOfficeConfig.from(ConfigSource.of(values));
    }

    private Connection connectAs(String user) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(sandbox.amqp().uri());
        factory.setUsername(user);
        factory.setPassword("pw-" + user);
        return factory.newConnection("permissions-test-" + user);
    }

    private static AMQP.BasicProperties properties(String userId) {
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .userId(userId)
                .type("sale.changed")
                .build();
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
