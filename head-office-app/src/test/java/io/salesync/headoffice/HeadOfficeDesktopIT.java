package io.salesync.headoffice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.salesync.common.config.ConfigSource;
import io.salesync.common.testing.Sandbox;
import io.salesync.common.testing.TcpProxy;
import io.salesync.desktop.WindowPlacement;
import io.salesync.desktop.testing.GuiTesting;
import io.salesync.headoffice.config.HeadOfficeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The window opens and says why when the database and the broker are down, and recovers when they return. */
class HeadOfficeDesktopIT {

    private final Sandbox sandbox = new Sandbox();
    private HeadOfficeDesktop desktop;
    private FrameFixture window;

    @BeforeAll
    static void display() {
        GuiTesting.setUpOnce();
    }

    @AfterEach
    void tearDown() {
        if (window != null) {
            window.cleanUp();
        }
        if (desktop != null) {
            desktop.stop();
        }
        sandbox.close();
        System.clearProperty(WindowPlacement.PROPERTY);
    }

    /** The banner, found whether it shows or not. */
    private org.assertj.swing.fixture.JLabelFixture banner() {
        return window.label(org.assertj.swing.core.matcher.JLabelMatcher.withName("banner"));
    }

    @Test
    void theWindowOpensWithBothServicesDownSaysSoAndRecovers() {
        try (TcpProxy mysql = new TcpProxy(
                        sandbox.mysql().hostAndPort().getHost(),
                        sandbox.mysql().hostAndPort().getPort());
                TcpProxy rabbit = new TcpProxy(
                        sandbox.amqp().uri().getHost(), sandbox.amqp().uri().getPort())) {
            mysql.cut();
            rabbit.cut();
            Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
            values.putAll(
                    sandbox.database("ho", "jdbc:mysql://127.0.0.1:" + mysql.port() + "/" + sandbox.schema("ho")));
            values.putAll(sandbox.broker(
                    "amqp://127.0.0.1:" + rabbit.port() + sandbox.amqp().uri().getRawPath()));
            System.setProperty(WindowPlacement.PROPERTY, "0,0,1280,800");

            desktop = HeadOfficeDesktop.start(HeadOfficeConfig.from(ConfigSource.of(values)), "head-office-it");

            window = WindowFinder.findFrame("headOfficeWindow")
                    .withTimeout(10_000)
                    .using(org.assertj.swing.core.BasicRobot.robotWithCurrentAwtHierarchy());
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() ->
                            assertThat(banner().text()).contains("Cannot reach MySQL at 127.0.0.1:" + mysql.port()));
            assertThat(window.label("databaseStatus").text()).isEqualTo("Database: unreachable");

            mysql.restore();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(banner().text())
                            .contains("Not receiving changes from the branches")
                            .containsPattern("Cannot reach RabbitMQ at 127\\.0\\.0\\.1:" + rabbit.port()
                                    + " \\(.*\\); retrying since \\d\\d:\\d\\d")
                            .doesNotContain("#method"));
            assertThat(window.label("brokerStatus").text()).matches("Broker: trying since \\d\\d:\\d\\d");

            rabbit.restore();
            await().atMost(Duration.ofSeconds(40))
                    .untilAsserted(() ->
                            assertThat(window.label("brokerStatus").text()).isEqualTo("Broker: consuming"));
            banner().requireNotVisible();
            assertThat(window.label("databaseStatus").text()).isEqualTo("Database: connected");
        }
    }

    @Test
    void theWindowSaysWhenTheDatabaseRefusesTheHeadOfficesUserAndConsumesNothing() {
        String user = sandbox.mysqlUser("ho", "app", "the-right-password", "ALL PRIVILEGES");
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(sandbox.database("ho"));
        values.put(io.salesync.common.db.DatabaseSettings.USER, user);
        values.put(io.salesync.common.db.DatabaseSettings.PASSWORD, "a-wrong-password");
        values.putAll(sandbox.broker());
        System.setProperty(WindowPlacement.PROPERTY, "0,0,1280,800");

        desktop = HeadOfficeDesktop.start(HeadOfficeConfig.from(ConfigSource.of(values)), "head-office-it");

        window = WindowFinder.findFrame("headOfficeWindow")
                .withTimeout(10_000)
                .using(org.assertj.swing.core.BasicRobot.robotWithCurrentAwtHierarchy());
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(banner().text())
                        .contains("refused user " + user
                                + " (access denied): check salesync.db.user and salesync.db.password."));
        assertThat(window.label("databaseStatus").text()).isEqualTo("Database: access denied");
        assertThat(window.label("brokerStatus").text()).isEqualTo("Broker: connecting...");
    }
}
