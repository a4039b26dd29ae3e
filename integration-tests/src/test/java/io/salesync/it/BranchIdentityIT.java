package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.config.RelaySettings;
import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.amqp.MessageHeaders;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.common.testing.BrokerUsers;
import io.salesync.common.testing.QueueReader;
import io.salesync.common.testing.Sandbox;
import io.salesync.common.testing.ShippedPermissions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A branch's broker identity is real: with the permissions the deployment gives a branch user
 * (rabbitmq/definitions.json, applied here with this test's names), it can publish only its own
 * routing key, cannot read the head office's queue, cannot forge user_id, and its relay still works.
 */
class BranchIdentityIT {

    private Sandbox sandbox;
    private BrokerUsers users;
    private Lab lab;
    private String bo1;
    private String bo2;

    @BeforeEach
    void setUp() {
        lab = new Lab();
        sandbox = lab.sandbox();
        users = new BrokerUsers(sandbox.amqp());
        bo1 = sandbox.prefix() + "-bo1";
        bo2 = sandbox.prefix() + "-bo2";
        for (String branch : new String[] {bo1, bo2}) {
            users.create(branch, "pw-" + branch);
            users.permit(branch, ShippedPermissions.branch(sandbox.prefix(), branch));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (users != null) {
            users.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aBranchCannotPublishWithAnotherBranchsRoutingKey() throws Exception {
        try (Connection connection = connectAs(bo1)) {
            Channel channel = connection.createChannel();
            channel.confirmSelect();

            channel.basicPublish(
                    sandbox.topology().salesExchange(), Topology.routingKey(bo2), true, properties(bo1), body());

            assertThatThrownBy(() -> channel.waitForConfirmsOrDie(5_000))
                    .hasRootCauseInstanceOf(ShutdownSignalException.class)
                    .rootCause()
                    .hasMessageContaining("ACCESS_REFUSED");
        }
    }

    @Test
    void aBranchCannotReadTheHeadOfficeQueue() throws Exception {
        try (Connection connection = connectAs(bo1)) {
            Channel channel = connection.createChannel();

            assertThatThrownBy(() ->
                            channel.basicConsume(sandbox.topology().salesQueue(), true, new DefaultConsumer(channel)))
                    .isInstanceOf(IOException.class)
                    .rootCause()
                    .hasMessageContaining("ACCESS_REFUSED");
        }
    }

    @Test
    void aBranchCannotDeclareAQueueToSiphonOtherBranchesSales() throws Exception {
        try (Connection connection = connectAs(bo1)) {
            Channel channel = connection.createChannel();

            assertThatThrownBy(() -> channel.queueDeclare(sandbox.prefix() + ".siphon", false, true, true, null))
                    .isInstanceOf(IOException.class)
                    .rootCause()
                    .hasMessageContaining("ACCESS_REFUSED");
        }
    }

    @Test
    void aBranchCannotForgeTheUserIdProperty() throws Exception {
        try (Connection connection = connectAs(bo1)) {
            Channel channel = connection.createChannel();
            channel.confirmSelect();

            channel.basicPublish(
                    sandbox.topology().salesExchange(), Topology.routingKey(bo1), true, properties(bo2), body());

            assertThatThrownBy(() -> channel.waitForConfirmsOrDie(5_000))
                    .rootCause()
                    .hasMessageContaining("PRECONDITION_FAILED")
                    .hasMessageContaining("user_id");
        }
    }

    @Test
    void theRelayWorksWithOnlyABranchsPermissions() throws Exception {
        Map<String, String> values = new HashMap<>(BranchConfig.defaults(bo1));
        values.putAll(sandbox.database("bo1"));
        values.putAll(sandbox.broker());
        values.put(BrokerSettings.USER, bo1);
        values.put(BrokerSettings.PASSWORD, "pw-" + bo1);
        values.put(RelaySettings.IDLE_POLL_MS, "100");
        BranchOffice branch = BranchOffice.open(BranchConfig.from(ConfigSource.of(values)), status -> {})
                .startRelay();
        try {
            branch.saleService()
                    .create(new SaleInput(LocalDate.of(2026, 11, 26), "North", "Paper", 2, new BigDecimal("3.00")));

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> branch.relay().status().backlog() == 0
                            && branch.relay().status().lastConfirmedSeq() == 1);
            // the one change; the relay's heartbeats travel beside it and are left out
            assertThat(QueueReader.drain(sandbox.channel(), sandbox.topology().salesQueue()))
                    .hasSize(1);
        } finally {
            branch.close();
        }
    }

    @Test
    void aMessageFromOneBranchRoutedAsAnotherIsDeadLetteredAndChangesNothing() throws Exception {
        String rogue = sandbox.prefix() + "-rogue";
        users.create(rogue, "pw-" + rogue);
        String exchange = Pattern.quote(sandbox.topology().salesExchange());
        users.permit(rogue, "^$", "^" + exchange + "$", "^$");
        users.permitTopic(rogue, sandbox.topology().salesExchange(), ".*", "^$");
        lab.headOffice();
        Sale forged = Sale.create(
                UUID.randomUUID(),
                bo2,
                new SaleInput(LocalDate.of(2026, 11, 26), "North", "Forged", 1, new BigDecimal("1.00")),
                TaxRate.of("0.08"));

        try (Connection connection = connectAs(rogue)) {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            channel.basicPublish(
                    sandbox.topology().salesExchange(),
                    Topology.routingKey(bo2),
                    true,
                    properties(rogue),
                    new SaleChangeCodec().encode(SaleChange.of(1, Instant.now(), forged)));
            channel.waitForConfirmsOrDie(5_000);
        }

        Channel inspector = sandbox.channel();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> inspector
                                .queueDeclarePassive(sandbox.topology().deadLetterQueue())
                                .getMessageCount()
                        == 1);
        GetResponse deadLetter = inspector.basicGet(sandbox.topology().deadLetterQueue(), true);
        assertThat(String.valueOf(deadLetter.getProps().getHeaders().get(MessageHeaders.DEAD_LETTER_REASON)))
                .contains("sent by broker user '" + rogue + "' but routed as branch '" + bo2 + "'");
        assertThat(lab.sandbox().count("ho", "SELECT COUNT(*) FROM sale")).isZero();
    }

    private Connection connectAs(String user) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(sandbox.amqp().uri());
        factory.setUsername(user);
        factory.setPassword("pw-" + user);
        return factory.newConnection("identity-test-" + user);
    }

    private static AMQP.BasicProperties properties(String userId) {
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .userId(userId)
                .type("sale.changed")
                .build();
    }

    private static byte[] body() {
        return "{}".getBytes(StandardCharsets.UTF_8);
    }
}
