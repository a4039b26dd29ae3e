package io.salesync.common.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One WARN per outage, DEBUG while it lasts, one INFO with its length when it ends. */
class OutageLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(BrokerConnector.class);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Level level;
    private Instant now = Instant.parse("2026-11-27T10:15:30Z");
    private final OutageLog outage =
            new OutageLog("RabbitMQ at 127.0.0.1:5672 (vhost salesync) as user ho", new Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now;
                }
            });

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void release() {
        logger.detachAppender(events);
        logger.setLevel(level);
    }

    @Test
    void aLostConnectionWarnsOnceAndTheAttemptsThatFollowAreDebug() {
        outage.lost("CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'");
        for (int i = 0; i < 5; i++) {
            outage.attemptFailed(
                    "Cannot reach RabbitMQ at 127.0.0.1:5672 (vhost salesync) as user ho: is it running? (Connection refused)",
                    false,
                    new ConnectException("Connection refused"),
                    "Retrying every 2 s.");
        }
        outage.lost("Connection reset");
        now = now.plus(Duration.ofSeconds(75));
        assertThat(outage.connected()).isTrue();
        assertThat(outage.connected())
                .as("a second connection after the outage")
                .isFalse();

        assertThat(at(Level.WARN))
                .containsExactly(
                        "Lost the connection to RabbitMQ at 127.0.0.1:5672 (vhost salesync) as user ho"
                                + " (CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'); retrying until it answers.");
        assertThat(at(Level.DEBUG)).hasSize(6);
        assertThat(events.list)
                .filteredOn(event -> event.getLevel() == Level.DEBUG && event.getThrowableProxy() != null)
                .hasSize(5);
        assertThat(at(Level.INFO)).hasSize(1);
        assertThat(at(Level.INFO).get(0))
                .startsWith("The connection to RabbitMQ at 127.0.0.1:5672 (vhost salesync) as user ho"
                        + " is back after 1 min 15 s (down since ");
    }

    @Test
    void aFirstAttemptThatFailsStartsTheOutageAndARefusalDuringItWarnsOnceMore() {
        for (int i = 0; i < 3; i++) {
            outage.attemptFailed(
                    "Cannot reach RabbitMQ ...",
                    false,
                    new ConnectException("Connection refused"),
                    "Retrying in 500 ms.");
        }
        for (int i = 0; i < 3; i++) {
            outage.attemptFailed(
                    "RabbitMQ ... refused user ho: check ...",
                    true,
                    new IOException("ACCESS_REFUSED"),
                    "Retrying in 5000 ms.");
        }

        assertThat(at(Level.WARN))
                .containsExactly(
                        "Cannot reach RabbitMQ ... Retrying in 500 ms.",
                        "RabbitMQ ... refused user ho: check ... Retrying in 5000 ms.");
        assertThat(at(Level.DEBUG)).hasSize(4);
    }

    @Test
    void aNewOutageWarnsAgain() {
        outage.lost("Connection reset");
        outage.connected();
        outage.lost("Connection reset");

        assertThat(at(Level.WARN)).hasSize(2);
    }

    @Test
    void lengthsReadAsAPersonWouldSayThem() {
        assertThat(OutageLog.length(Duration.ofMillis(300))).isEqualTo("1 s");
        assertThat(OutageLog.length(Duration.ofSeconds(42))).isEqualTo("42 s");
        assertThat(OutageLog.length(Duration.ofSeconds(185))).isEqualTo("3 min 5 s");
        assertThat(OutageLog.length(Duration.ofMinutes(130))).isEqualTo("2 h 10 min");
    }

    @Test
    void onlyFailuresOfTheConnectionItselfCountAsAnOutage() {
        ShutdownSignalException forced = new ShutdownSignalException(
                true,
                false,
                new AMQP.Connection.Close.Builder()
                        .replyCode(AMQP.CONNECTION_FORCED)
                        .replyText("CONNECTION_FORCED")
                        .build(),
                null);
        ShutdownSignalException socket = new ShutdownSignalException(true, false, null, null);
        socket.initCause(new EOFException());
        ShutdownSignalException channelError = new ShutdownSignalException(
                false,
                false,
                new AMQP.Channel.Close.Builder()
                        .replyCode(AMQP.NOT_FOUND)
                        .replyText("NOT_FOUND - no queue")
                        .build(),
                null);
        ShutdownSignalException refused = new ShutdownSignalException(
                true,
                false,
                new AMQP.Connection.Close.Builder()
                        .replyCode(AMQP.ACCESS_REFUSED)
                        .replyText("ACCESS_REFUSED")
                        .build(),
                null);

        assertThat(OutageExceptionHandler.isConnectionFailure(new IOException("Connection reset by peer")))
                .isTrue();
        assertThat(OutageExceptionHandler.isConnectionFailure(new IOException(null, socket)))
                .isTrue();
        assertThat(OutageExceptionHandler.isConnectionFailure(new IOException(null, forced)))
                .isTrue();
        assertThat(OutageExceptionHandler.isConnectionFailure(new IOException(null, channelError)))
                .isFalse();
        assertThat(OutageExceptionHandler.isConnectionFailure(new IOException(null, refused)))
                .isFalse();
        assertThat(OutageExceptionHandler.isConnectionFailure(new IllegalStateException("a bug")))
                .isFalse();
    }

    private List<String> at(Level wanted) {
        return events.list.stream()
                .filter(event -> event.getLevel() == wanted)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
