package io.salesync.common.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.Connection;
import io.salesync.common.testing.PrivateRabbitNode;
import io.salesync.common.testing.TcpProxy;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What the log shows when the broker goes away and comes back, against a private RabbitMQ node
 * that the test stops and starts: one WARN when the outage starts, one INFO when it is over, and no
 * stack trace above DEBUG, whether the connection recovers by itself (the head office's) or is
 * opened again by our own retry loop (the relay's).
 */
class BrokerOutageLogIT {

    @TempDir
    static Path directory;

    private static PrivateRabbitNode node;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Level rootLevel;
    private boolean nodeDown;

    @BeforeAll
    static void startBroker() throws Exception {
        Path nodeDirectory = Files.createDirectories(directory.resolve("node"));
        node = PrivateRabbitNode.plain(nodeDirectory);
    }

    @AfterAll
    static void stopBroker() {
        if (node != null) {
            node.close();
        }
    }

    @BeforeEach
    void captureLog() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(log);
        root.setLevel(rootLevel);
        log.stop();
        if (nodeDown) {
            startNode(); // for the next test: this one failed while the node was down
        }
    }

    private void stopNode() {
        nodeDown = true;
        node.stop();
    }

    private void startNode() {
        node.start();
        nodeDown = false;
    }

    @Test
    void aRecoveringConnectionLogsOneWarningWhenTheBrokerStopsAndOneInfoWhenItIsBack() throws Exception {
        BrokerConnector connector = new BrokerConnector(settings(node.uri()), "outage-it-recovering");
        try (Connection connection = connector.connect()) {
            log.list.clear();

            stopNode();
            // several recovery attempts (every 2 s) while the node is down
            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(9)).until(() -> !connection.isOpen());
            startNode();
            await().atMost(Duration.ofSeconds(30)).until(connection::isOpen);

            assertThat(atWarnOrAbove())
                    .as("WARN and ERROR lines during one outage:\n%s", dump())
                    .hasSize(1);
            assertThat(atWarnOrAbove().get(0).getFormattedMessage())
                    .startsWith(
                            "Lost the connection to RabbitMQ at 127.0.0.1:" + node.port() + " (vhost /) as user guest");
            assertThat(withStackTraceAboveDebug())
                    .as("stack traces above DEBUG:\n%s", dump())
                    .isEmpty();
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(messages(Level.INFO, "is back after"))
                            .as("INFO lines:\n%s", dump())
                            .hasSize(1));
        }
        assertThat(messages(Level.INFO, "is back after").get(0))
                .startsWith("The connection to RabbitMQ at 127.0.0.1:" + node.port()
                        + " (vhost /) as user guest is back after ");
    }

    @Test
    void behindAPortForwarderThatStaysUpTheRecoveryAttemptsLeaveNoStackTrace() throws Exception {
        try (TcpProxy forwarder = new TcpProxy("127.0.0.1", node.port())) {
            BrokerConnector connector = new BrokerConnector(
                    settings(URI.create("amqp://127.0.0.1:" + forwarder.port() + "/%2F")), "outage-it-forwarded");
            try (Connection connection = connector.connect()) {
                log.list.clear();

                stopNode();
                // the forwarder accepts each recovery attempt and closes it, as Docker's does for a stopped container
                await().during(Duration.ofSeconds(7))
                        .atMost(Duration.ofSeconds(9))
                        .until(() -> !connection.isOpen());
                startNode();
                await().atMost(Duration.ofSeconds(30)).until(connection::isOpen);

                assertThat(withStackTraceAboveDebug())
                        .as("stack traces above DEBUG:\n%s", dump())
                        .isEmpty();
                assertThat(atWarnOrAbove())
                        .as("WARN and ERROR lines during one outage:\n%s", dump())
                        .hasSize(1);
                assertThat(atWarnOrAbove().get(0).getFormattedMessage())
                        .startsWith("Lost the connection to RabbitMQ at 127.0.0.1:" + forwarder.port()
                                + " (vhost /) as user guest");
                await().atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(messages(Level.INFO, "is back after"))
                                .as("INFO lines:\n%s", dump())
                                .hasSize(1));
            }
        }
    }

    @Test
    void reconnectingByOurOwnRetriesLogsOneWarningThenDebugAndOneInfoWithHowLongItWasDown() throws Exception {
        BrokerConnector connector = new BrokerConnector(settings(node.uri()), "outage-it-retrying", false);
        List<String> failures = new CopyOnWriteArrayList<>();
        Connection first = connector.connect();
        log.list.clear();

        stopNode();
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.isOpen());
        CompletableFuture<Connection> again = CompletableFuture.supplyAsync(() -> {
            try {
                return connector.connectWithRetry(() -> true, failures::add);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> failures.size() >= 3);
        startNode();
        again.get(60, TimeUnit.SECONDS).close();

        assertThat(atWarnOrAbove())
                .as("WARN and ERROR lines during one outage:\n%s", dump())
                .hasSize(1);
        assertThat(atWarnOrAbove().get(0).getFormattedMessage())
                .startsWith("Lost the connection to RabbitMQ at 127.0.0.1:" + node.port() + " (vhost /) as user guest");
        assertThat(withStackTraceAboveDebug())
                .as("stack traces above DEBUG:\n%s", dump())
                .isEmpty();
        assertThat(messages(Level.DEBUG, "Cannot reach RabbitMQ at 127.0.0.1:" + node.port()))
                .as("the failed attempts, at DEBUG")
                .hasSizeGreaterThanOrEqualTo(failures.size());
        assertThat(messages(Level.INFO, "is back after")).hasSize(1);
    }

    @Test
    void aBrokerThatIsDownAtStartIsReportedOnceWhileTheAttemptsGoOn() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        BrokerConnector connector = new BrokerConnector(
                settings(URI.create("amqp://127.0.0.1:" + closed + "/%2F")), "outage-it-never-up", false);
        List<String> failures = new CopyOnWriteArrayList<>();
        CompletableFuture<Connection> attempts = CompletableFuture.supplyAsync(() -> {
            try {
                return connector.connectWithRetry(() -> failures.size() < 4, failures::add);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(attempts.get(30, TimeUnit.SECONDS)).isNull();
        assertThat(atWarnOrAbove())
                .as("WARN and ERROR lines for four failed attempts:\n%s", dump())
                .hasSize(1);
        assertThat(atWarnOrAbove().get(0).getFormattedMessage())
                .startsWith(
                        "Cannot reach RabbitMQ at 127.0.0.1:" + closed + " (vhost /) as user guest: is it running?");
        assertThat(messages(Level.DEBUG, "Cannot reach RabbitMQ at 127.0.0.1:" + closed))
                .hasSize(3);
        assertThat(withStackTraceAboveDebug()).isEmpty();
    }

    private static BrokerSettings settings(URI uri) {
        return new BrokerSettings(uri, "guest", "guest", "salesync");
    }

    private List<ILoggingEvent> atWarnOrAbove() {
        return log.list.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .toList();
    }

    private List<ILoggingEvent> withStackTraceAboveDebug() {
        return log.list.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.INFO) && event.getThrowableProxy() != null)
                .toList();
    }

    private List<String> messages(Level level, String containing) {
        return log.list.stream()
                .filter(event -> event.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage)
                .filter(message -> message.contains(containing))
                .toList();
    }

    private String dump() {
        StringBuilder out = new StringBuilder();
        for (ILoggingEvent event : log.list) {
            if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
                out.append(event.getLevel())
                        .append(' ')
                        .append(event.getLoggerName())
                        .append(" - ")
                        .append(event.getFormattedMessage())
                        .append(
                                event.getThrowableProxy() == null
                                        ? ""
                                        : " [" + event.getThrowableProxy().getClassName() + "]")
                        .append('\n');
            }
        }
        return out.toString();
    }
}
