package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.headoffice.HeadOfficeMain;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A branch floods the head office with messages just under RabbitMQ's size limit, far more bytes
 * than the head office's memory: the head office, a real process with a small heap, must neither
 * run out of memory nor stop, dead-letter every one of them, and go on applying good changes.
 */
class LargeMessageFloodIT {

    private static final int MESSAGES = 200;
    private static final int BODY_BYTES = 1_000_000;
    private static final String HEAP = "-Xmx128m";

    private Lab lab;
    private Process headOffice;
    private Path log;

    @BeforeEach
    void setUp() throws Exception {
        lab = new Lab();
        log = Files.createTempFile("salesync-it-flood-head-office", ".log");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (headOffice != null) {
            headOffice.destroyForcibly().waitFor();
        }
        lab.close();
        Files.deleteIfExists(log);
    }

    @Test
    void messagesNearTheSizeLimitBeyondTheHeadOfficesMemoryAreDeadLetteredAndGoodOnesStillApplied() throws Exception {
        lab.headOfficeConfig();
        Channel channel = lab.sandbox().channel();
        channel.confirmSelect();
        byte[] large = new byte[BODY_BYTES];
        Arrays.fill(large, (byte) 'x');
        for (int i = 0; i < MESSAGES; i++) {
            publish(channel, large, "large-" + i);
        }
        channel.waitForConfirmsOrDie(60_000);

        headOffice = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        HEAP,
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dsalesync.log.level=WARN",
                        HeadOfficeMain.class.getName(),
                        "run",
                        "--headless",
                        "--config",
                        lab.configDir().resolve("head-office.properties").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Sale good = Sale.create(
                UUID.randomUUID(),
                "bo1",
                new SaleInput(LocalDate.of(2026, 11, 26), "North", "Good", 1, new BigDecimal("2.50")),
                TaxRate.of("0.08"));
        publish(channel, new SaleChangeCodec().encode(SaleChange.of(1, Instant.now(), good)), "bo1:1");
        channel.waitForConfirmsOrDie(10_000);

        await().atMost(Duration.ofSeconds(120))
                .until(() -> !headOffice.isAlive()
                        || count("SELECT COUNT(*) FROM sale WHERE branch_id = 'bo1'") == 1
                                && count("SELECT COUNT(*) FROM dead_letter_log") == MESSAGES);

        assertThat(headOffice.isAlive())
                .as("the head office is running; its log:%n%s", tail())
                .isTrue();
        assertThat(lab.sandbox()
                        .count(
                                "ho",
                                "SELECT COUNT(*) FROM dead_letter_log WHERE reason LIKE 'body of % bytes exceeds%'"))
                .isEqualTo(MESSAGES);
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        channel.queueDeclarePassive(lab.sandbox().topology().deadLetterQueue())
                                        .getMessageCount()
                                == MESSAGES);
    }

    private void publish(Channel channel, byte[] body, String messageId) throws Exception {
        channel.basicPublish(
                lab.sandbox().topology().salesExchange(),
                "sales.bo1",
                true,
                new AMQP.BasicProperties.Builder()
                        .deliveryMode(2)
                        .contentType(SaleChangeCodec.CONTENT_TYPE)
                        .messageId(messageId)
                        .type(SaleChange.MESSAGE_TYPE)
                        .userId(lab.sandbox().amqp().user())
                        .build(),
                body);
    }

    /** A count once the head office has created its tables, -1 before. */
    private long count(String sql) {
        try {
            return lab.sandbox().count("ho", sql);
        } catch (IllegalStateException notYet) {
            return -1;
        }
    }

    private String tail() throws Exception {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return text.length() > 4_000 ? text.substring(text.length() - 4_000) : text;
    }
}
