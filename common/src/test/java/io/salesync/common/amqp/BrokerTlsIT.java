package io.salesync.common.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.testing.PrivateRabbitNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The amqps:// path against a private RabbitMQ node with a test certificate authority: trusted
 * when configured, refused when the authority is unknown or the host name does not match.
 */
class BrokerTlsIT {

    @TempDir
    static Path directory;

    private static PrivateRabbitNode node;
    private static Path ca;
    private static Path otherCa;

    @BeforeAll
    static void startTlsBroker() throws Exception {
        ca = directory.resolve("ca.pem");
        otherCa = directory.resolve("other-ca.pem");
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=salesync test CA",
                "-keyout",
                directory.resolve("ca.key").toString(),
                "-out",
                ca.toString());
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=other CA",
                "-keyout",
                directory.resolve("other-ca.key").toString(),
                "-out",
                otherCa.toString());
        openssl(
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-keyout",
                directory.resolve("server.key").toString(),
                "-out",
                directory.resolve("server.csr").toString());
        Files.writeString(directory.resolve("ext.cnf"), "subjectAltName=DNS:localhost\n");
        openssl(
                "x509",
                "-req",
                "-in",
                directory.resolve("server.csr").toString(),
                "-CA",
                ca.toString(),
                "-CAkey",
                directory.resolve("ca.key").toString(),
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                directory.resolve("ext.cnf").toString(),
                "-out",
                directory.resolve("server.pem").toString());
        Path nodeDirectory = Files.createDirectories(directory.resolve("node"));
        for (Path file : List.of(directory, nodeDirectory)) {
            file.toFile().setExecutable(true, false);
        }
        for (String name : List.of("server.pem", "server.key")) {
            directory.resolve(name).toFile().setReadable(true, false);
        }
        node = PrivateRabbitNode.tls(nodeDirectory, directory.resolve("server.pem"), directory.resolve("server.key"));
    }

    @AfterAll
    static void stopTlsBroker() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void connectsOverTlsWhenTheAuthorityIsConfigured() throws Exception {
        BrokerConnector connector =
                new BrokerConnector(settings("amqps://localhost:" + node.port() + "/%2F", ca), "tls-test");

        try (Connection connection = connector.connect();
                Channel channel = connection.createChannel()) {
            assertThat(channel.isOpen()).isTrue();
            assertThat(connection.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void refusesABrokerWhoseCertificateNoConfiguredAuthoritySigned() {
        BrokerConnector connector =
                new BrokerConnector(settings("amqps://localhost:" + node.port() + "/%2F", otherCa), "tls-test");

        assertThatThrownBy(connector::connect).isInstanceOf(BrokerUnavailableException.class);
    }

    @Test
    void refusesABrokerWhoseCertificateNamesAnotherHost() {
        BrokerConnector connector =
                new BrokerConnector(settings("amqps://127.0.0.1:" + node.port() + "/%2F", ca), "tls-test");

        assertThatThrownBy(connector::connect).isInstanceOf(BrokerUnavailableException.class);
    }

    /** A list of nodes over TLS: each node is checked under the name it is listed with, whichever answers. */
    @Test
    void connectsOverTlsToAListedNodeWhoseCertificateNamesIt() throws Exception {
        int deadPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        BrokerConnector connector = new BrokerConnector(
                settings("amqps://rabbit/%2F", ca, "localhost:" + deadPort + ",localhost:" + node.port()), "tls-test");

        for (int attempt = 0; attempt < 4; attempt++) { // the list is shuffled at each attempt: both orders
            try (Connection connection = connector.connect();
                    Channel channel = connection.createChannel()) {
                assertThat(channel.isOpen()).isTrue();
                assertThat(connection.getPort()).isEqualTo(node.port());
            }
        }
    }

    @Test
    void refusesAListedNodeWhoseCertificateNamesAnotherHost() {
        BrokerConnector connector =
                new BrokerConnector(settings("amqps://localhost/%2F", ca, "127.0.0.1:" + node.port()), "tls-test");

        assertThatThrownBy(connector::connect).isInstanceOf(BrokerUnavailableException.class);
    }

    private static BrokerSettings settings(String uri, Path caFile, String addresses) {
        return BrokerSettings.from(ConfigSource.of(values(uri, caFile)).with(BrokerSettings.ADDRESSES, addresses));
    }

    private static BrokerSettings settings(String uri, Path caFile) {
        return BrokerSettings.from(ConfigSource.of(values(uri, caFile)));
    }

    private static Map<String, String> values(String uri, Path caFile) {
        Map<String, String> values = new HashMap<>();
        values.put(BrokerSettings.URI_KEY, uri);
        values.put(BrokerSettings.USER, "guest");
        values.put(BrokerSettings.PASSWORD, "guest");
        values.put(BrokerSettings.PREFIX, "salesync");
        values.put(BrokerSettings.TLS_CA_FILE, caFile.toString());
        return values;
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("openssl.log").toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s", command).isZero();
    }
}
