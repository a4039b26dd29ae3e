package io.salesync.desktop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.desktop.BrokerWords;
import org.junit.jupiter.api.Test;

class BrokerWordsTest {

    private static final String FORCED =
            "connection lost: connection error; protocol method: #method<connection.close>(reply-code=320,"
                    + " reply-text=CONNECTION_FORCED - broker forced connection closure with reason 'shutdown', class-id=0, method-id=0)";

    @Test
    void aConnectionTheBrokerClosedIsSaidInWordsWithoutTheRawText() {
        String sentence = BrokerWords.sentence(FORCED, "127.0.0.1:5672", "19:06");

        assertThat(sentence)
                .isEqualTo("Lost the connection to RabbitMQ at 127.0.0.1:5672 (the broker was shut down or restarted,"
                        + " or an operator closed the connection); retrying since 19:06.");
        assertThat(sentence)
                .doesNotContain("#method")
                .doesNotContain("reply-code")
                .doesNotContain("CONNECTION_FORCED");
    }

    @Test
    void aBrokerThatDoesNotAnswerIsSaidSo() {
        String sentence = BrokerWords.sentence(
                "Cannot reach RabbitMQ at 127.0.0.1:5672 (vhost salesync) as user ho: is it running?"
                        + " (Connection refused)",
                "127.0.0.1:5672",
                "09:15");

        assertThat(sentence)
                .isEqualTo(
                        "Cannot reach RabbitMQ at 127.0.0.1:5672 (nothing answers at that address); retrying since 09:15.");
    }

    @Test
    void aSentenceOfOursKeepsItsAdviceAndLosesOnlyTheRawPart() {
        String sentence = BrokerWords.sentence(
                "RabbitMQ at 10.0.0.5:5672 (vhost salesync) refused user ho: check"
                        + " salesync.broker.user and salesync.broker.password, and that the user may use the vhost.",
                "10.0.0.5:5672",
                "08:00");

        assertThat(sentence)
                .startsWith("RabbitMQ at 10.0.0.5:5672 (vhost salesync) refused user ho: check salesync.broker.user")
                .endsWith("Retrying since 08:00.");
        assertThat(BrokerWords.sentence(
                        "RabbitMQ at h:1 refused an operation of user bo1: #method<channel.close>(reply-code=404,"
                                + " reply-text=NOT_FOUND - no queue 'x' in vhost 's', class-id=50, method-id=10)",
                        "h:1",
                        null))
                .isEqualTo(
                        "RabbitMQ at h:1 refused an operation of user bo1: a queue or exchange this program needs does not exist"
                                + " on the broker. Retrying.");
    }

    @Test
    void beforeTheFirstAttemptItIsConnecting() {
        assertThat(BrokerWords.sentence("starting", "127.0.0.1:5672", null))
                .isEqualTo("Connecting to RabbitMQ at 127.0.0.1:5672; retrying.");
    }
}
