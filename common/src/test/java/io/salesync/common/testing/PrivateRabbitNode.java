package io.salesync.common.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A RabbitMQ node of the test's own, on spare ports with its own data directory, so that a test
 * can stop, kill and restart a broker (or give it TLS) without touching the shared one. Needs the
 * RabbitMQ server installed on this machine ({@code /usr/lib/rabbitmq/bin/rabbitmq-server}).
 */
public final class PrivateRabbitNode implements AutoCloseable {

    private static final Path SERVER = Path.of(
            System.getenv().getOrDefault("SALESYNC_TEST_RABBITMQ_SERVER", "/usr/lib/rabbitmq/bin/rabbitmq-server"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path directory;
    private final String nodeName =
            "salesync-test-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
    private final int port;
    private final int distributionPort;
    private final List<String> extraConfig;
    private final boolean tls;
    private Process process;

    private PrivateRabbitNode(Path directory, boolean tls, List<String> extraConfig) {
        this.directory = directory;
        this.tls = tls;
        this.extraConfig = extraConfig;
        this.port = freePort();
        this.distributionPort = freePort();
    }

    /** A plain AMQP node; guest/guest may connect from localhost. */
    public static PrivateRabbitNode plain(Path directory) {
        return new PrivateRabbitNode(directory, false, List.of()).start();
    }

    /** An AMQPS-only node presenting {@code certificate} (PEM, with {@code key}) for localhost. */
    public static PrivateRabbitNode tls(Path directory, Path certificate, Path key) {
        return new PrivateRabbitNode(
                        directory,
                        true,
                        List.of(
                                "listeners.tcp = none",
                                "listeners.ssl.default = 127.0.0.1:%PORT%",
                                "ssl_options.certfile = " + certificate.toAbsolutePath(),
                                "ssl_options.keyfile = " + key.toAbsolutePath(),
                                "ssl_options.verify = verify_none",
                                "ssl_options.fail_if_no_peer_cert = false"))
                .start();
    }

    public int port() {
        return port;
    }

    /** {@code amqp://127.0.0.1:port/%2F} or {@code amqps://localhost:port/%2F}. */
    public URI uri() {
        return URI.create(tls ? "amqps://localhost:" + port + "/%2F" : "amqp://127.0.0.1:" + port + "/%2F");
    }

    /** Starts the node (again, keeping its data) and waits until it accepts connections. */
    public synchronized PrivateRabbitNode start() {
        if (!Files.isExecutable(SERVER)) {
            String why = "no RabbitMQ server at " + SERVER
                    + " for a private broker node (set SALESYNC_TEST_RABBITMQ_SERVER)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + " (CI=true: a missing service is a failure)");
            }
            Assumptions.abort(why);
        }
        try {
            Files.createDirectories(directory.resolve("mnesia"));
            Files.createDirectories(directory.resolve("log"));
            StringBuilder config = new StringBuilder(tls ? "" : "listeners.tcp.default = 127.0.0.1:" + port + "\n");
            config.append("loopback_users = none\n");
            for (String line : extraConfig) {
                config.append(line.replace("%PORT%", String.valueOf(port))).append('\n');
            }
            Files.writeString(directory.resolve("rabbitmq.conf"), config);
            Files.writeString(directory.resolve("enabled_plugins"), "[].\n");
            ProcessBuilder builder = new ProcessBuilder(SERVER.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            directory.resolve("server.out").toFile()));
            builder.environment().put("RABBITMQ_NODENAME", nodeName);
            builder.environment().put("RABBITMQ_DIST_PORT", String.valueOf(distributionPort));
            builder.environment()
                    .put("RABBITMQ_MNESIA_BASE", directory.resolve("mnesia").toString());
            builder.environment()
                    .put("RABBITMQ_LOG_BASE", directory.resolve("log").toString());
            builder.environment()
                    .put(
                            "RABBITMQ_CONFIG_FILE",
                            directory.resolve("rabbitmq.conf").toString());
            builder.environment()
                    .put(
                            "RABBITMQ_ENABLED_PLUGINS_FILE",
                            directory.resolve("enabled_plugins").toString());
            builder.environment()
                    .put("RABBITMQ_PID_FILE", directory.resolve("node.pid").toString());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a private RabbitMQ node in " + directory, e);
        }
        Process started = process;
        try {
            await().atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> accepts(port) || !started.isAlive());
        } catch (ConditionTimeoutException e) {
            started.descendants().forEach(ProcessHandle::destroyForcibly);
            started.destroyForcibly();
            throw new IllegalStateException(
                    "private RabbitMQ node " + nodeName + " did not accept connections on port " + port + " within "
                            + START_TIMEOUT.toSeconds() + " s; end of " + directory.resolve("server.out") + ":\n"
                            + tail(),
                    e);
        }
        if (!accepts(port)) {
            throw new IllegalStateException("private RabbitMQ node " + nodeName + " exited while starting; end of "
                    + directory.resolve("server.out") + ":\n" + tail());
        }
        return this;
    }

    /** Stops the node the way an operator would (SIGTERM), waiting for it to exit. */
    public synchronized void stop() {
        signal(false);
    }

    /** Kills the node with SIGKILL. */
    public synchronized void kill() {
        signal(true);
    }

    @Override
    public void close() {
        kill();
    }

    private void signal(boolean forcibly) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all =
                new java.util.ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        for (ProcessHandle handle : all) {
            if (forcibly) {
                handle.destroyForcibly();
            } else {
                handle.destroy();
            }
        }
        for (ProcessHandle handle : all) {
            handle.onExit().join();
        }
        process = null;
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !accepts(port));
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("server.out"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
