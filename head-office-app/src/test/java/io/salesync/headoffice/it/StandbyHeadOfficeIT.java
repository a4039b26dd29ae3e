package io.salesync.headoffice.it;

import static org.assertj.core.api.Assertions.assertThat;
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
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.model.HeadOfficeProcess;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several head offices on one queue: exactly one consumes, the others stand by and say so, one of
 * them takes over when the active one goes, and a queue of an earlier version (no single active
 * consumer) is drained into the new one and deleted.
 */
class StandbyHeadOfficeIT {

    private static final TaxRate RATE = TaxRate.of("0.08");

    private final SaleChangeCodec codec = new SaleChangeCodec();
    private final List<HeadOffice> headOffices = new ArrayList<>();
    private Sandbox sandbox;
    private Channel publisher;
    private long seq;

    @BeforeEach
    void setUp() {
        sandbox = new Sandbox();
        publisher = sandbox.channel();
    }

    @AfterEach
    void tearDown() {
        headOffices.forEach(HeadOffice::close);
        sandbox.close();
    }

    @Test
    void oneHeadOfficeConsumesTheOthersStandByAndOneTakesOverWhenItGoes() throws Exception {
        HeadOffice first = start();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> first.consumer().status().consuming());
        HeadOffice second = start();
        HeadOffice third = start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> second.consumer().status().standby()
                        && third.consumer().status().standby());
        assertThat(first.consumer().status().consuming()).isTrue();
        publishSales(20);
        await().atMost(Duration.ofSeconds(15)).until(() -> appliedSeq() == seq);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(summary(first))
                        .isEqualTo("active " + first.consumer().process() + ", 2 standing by"));

        first.close();
        headOffices.remove(first);
        Instant gone = Instant.now();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> second.consumer().status().consuming()
                        || third.consumer().status().consuming());
        Duration takeover = Duration.between(gone, Instant.now());
        HeadOffice active = second.consumer().status().consuming() ? second : third;
        HeadOffice standing = active == second ? third : second;
        assertThat(standing.consumer().status().standby())
                .as("exactly one consumes")
                .isTrue();
        publishSales(20);
        await().atMost(Duration.ofSeconds(15)).until(() -> appliedSeq() == seq);
        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM sale")).isEqualTo(40);
        assertThat(sandbox.count("ho", "SELECT gap_since IS NOT NULL FROM branch_progress"))
                .isZero();
        System.out.printf(
                "A standing-by head office took over %d ms after the active one closed%n", takeover.toMillis());
    }

    @Test
    void theQueueOfAnEarlierVersionIsDrainedAndDeletedAndNothingIsAskedAgain() throws Exception {
        Channel admin = sandbox.amqpConnection().createChannel();
        admin.queueDelete(sandbox.topology().salesQueue());
        admin.queueDeclare(
                sandbox.topology().legacySalesQueue(),
                true,
                false,
                false,
                Map.of(
                        "x-queue-type",
                        "quorum",
                        "x-dead-letter-exchange",
                        sandbox.topology().deadLetterExchange(),
                        "x-delivery-limit",
                        50));
        admin.queueBind(
                sandbox.topology().legacySalesQueue(), sandbox.topology().salesExchange(), "sales.*");
        publishSales(30);

        HeadOffice headOffice = start();

        await().atMost(Duration.ofSeconds(30)).until(() -> appliedSeq() == 30);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !exists(sandbox.topology().legacySalesQueue()));
        publishSales(5);
        await().atMost(Duration.ofSeconds(15)).until(() -> appliedSeq() == 35);
        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM sale")).isEqualTo(35);
        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM branch_request"))
                .as("nothing was lost, so nothing is asked for again")
                .isZero();
        assertThat(headOffice.consumer().status().consuming()).isTrue();
    }

    private String summary(HeadOffice headOffice) throws Exception {
        Instant now = Instant.now();
        return HeadOfficeProcess.summary(
                headOffice.processes().seenSince(now.minus(HeadOfficeProcess.SEEN_WITHIN)), now);
    }

    private boolean exists(String queue) {
        try (Channel probe = sandbox.amqpConnection().createChannel()) {
            probe.queueDeclarePassive(queue);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void publishSales(int count) throws Exception {
        publisher.confirmSelect();
        for (int i = 0; i < count; i++) {
            Sale sale = Sale.create(
                    UUID.randomUUID(),
                    "bo1",
                    new SaleInput(LocalDate.of(2026, 11, 26), "North", "Item " + seq, 1, new BigDecimal("2.50")),
                    RATE);
            SaleChange change = SaleChange.of(++seq, Instant.now(), sale);
            publisher.basicPublish(
                    sandbox.topology().salesExchange(),
                    "sales.bo1",
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
        publisher.waitForConfirmsOrDie(10_000);
    }

    private long appliedSeq() {
        try {
            return sandbox.count(
                    "ho", "SELECT COALESCE(MAX(contiguous_seq), 0) FROM branch_progress WHERE branch_id = 'bo1'");
        } catch (IllegalStateException notYet) {
            return -1;
        }
    }

    private HeadOffice start() {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(sandbox.database("ho"));
        values.putAll(sandbox.broker());
        HeadOffice headOffice = HeadOffice.open(HeadOfficeConfig.from(ConfigSource.of(values)), status -> {})
                .startConsumer();
        headOffices.add(headOffice);
        return headOffice;
    }
}
