package io.salesync.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * A 3-node RabbitMQ cluster of the test's own, started by {@code scripts/local-rabbitmq-cluster.sh}
 * (the script an operator uses on a machine without Docker) on spare ports with its data under a
 * directory the test chooses, beside the machine's own broker. Its nodes can be killed with
 * SIGKILL one by one and started again.
 *
 * <p>The nodes load {@code rabbitmq/definitions.json}: the test connects as the development
 * administrator {@code salesync-admin} to the vhost "/". Needs the RabbitMQ server installed on
 * this machine ({@code /usr/lib/rabbitmq/bin}, or the directory in {@code SALESYNC_TEST_RABBITMQ_BIN});
 * without it the test is skipped, and fails with {@code CI=true}.
 */
public final class PrivateRabbitCluster implements AutoCloseable {

    public static final int NODES = 3;
    private static final Path BIN =
            Path.of(System.getenv().getOrDefault("SALESYNC_TEST_RABBITMQ_BIN", "/usr/lib/rabbitmq/bin"));
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

    private final Path directory;
    private final Path script;
    private final int basePort;
    /** Kills the nodes if the JVM ends before {@link #close} (a test run killed on a timeout, say). */
    private final Thread killOnExit = new Thread(this::killAll, "private-rabbit-cluster-kill");

    private Duration lastStart = Duration.ZERO;

    private PrivateRabbitCluster(Path directory, Path script, int basePort) {
        this.directory = directory;
        this.script = script;
        this.basePort = basePort;
    }

    /** Starts a new cluster (no management plugin) with its data in {@code directory} and waits until it is one cluster. */
    public static PrivateRabbitCluster start(Path directory) {
        return start(directory, 0);
    }

    /**
     * The same on the ports from {@code basePort} on (AMQP base to base + 2, distribution base + 20000
     * to + 20002), for a suite that keeps to ports of its own; 0 picks a free block at random.
     */
    public static PrivateRabbitCluster start(Path directory, int basePort) {
        if (!Files.isExecutable(BIN.resolve("rabbitmq-server"))) {
            String why = "no RabbitMQ server in " + BIN + " for a private cluster (set SALESYNC_TEST_RABBITMQ_BIN)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + " (CI=true: a missing service is a failure)");
            }
            Assumptions.abort(why);
        }
        PrivateRabbitCluster cluster = new PrivateRabbitCluster(
                directory.toAbsolutePath(), findScript(), basePort == 0 ? freeBasePort() : basePort);
        Runtime.getRuntime().addShutdownHook(cluster.killOnExit);
        try {
            cluster.startStopped();
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts the nodes that are not running (all of them at first) and waits until the three form one cluster again. */
    public synchronized void startStopped() {
        long began = System.nanoTime();
        run(List.of("start", "--no-management"));
        lastStart = Duration.ofNanos(System.nanoTime() - began);
    }

    /** How long the last {@link #startStopped} took, script and waiting included. */
    public Duration lastStart() {
        return lastStart;
    }

    /** The AMQP port of node {@code node} (1 to 3). */
    public int port(int node) {
        return basePort + node - 1;
    }

    /** The value of {@code salesync.broker.addresses} for this cluster. */
    public String addresses() {
        List<String> nodes = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            nodes.add("127.0.0.1:" + port(node));
        }
        return String.join(",", nodes);
    }

    /** The node (1 to 3) listening on {@code port}, or 0. */
    public int nodeOnPort(int port) {
        int node = port - basePort + 1;
        return node >= 1 && node <= NODES ? node : 0;
    }

    /**
     * The broker of node {@code node} as the tests' services see it (vhost "/", the development
     * administrator), for a {@link Sandbox} of its own.
     */
    public TestServices.Amqp amqp(int node) {
        return new TestServices.Amqp(
                URI.create("amqp://127.0.0.1:" + port(node) + "/%2F"), "salesync-admin", "dev-only-admin");
    }

    /**
     * The node (1 to 3) that holds the connection the client named {@code connectionName}, asked of
     * node {@code askNode} (which must run); 0 when there is no such connection.
     */
    public int nodeOfConnection(String connectionName, int askNode) {
        String json = ctl(askNode, "list_connections", "port", "client_properties", "--formatter", "json");
        try {
            for (JsonNode connection : new ObjectMapper().readTree(json)) {
                for (JsonNode property : connection.path("client_properties")) {
                    if (property.path(0).asText().equals("connection_name")
                            && property.path(2).asText().equals(connectionName)) {
                        return nodeOnPort(connection.path("port").asInt());
                    }
                }
            }
            return 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the connections listed by node " + askNode + ": " + json, e);
        }
    }

    /** The members and leader of a quorum queue (or the node of a classic one), as node {@code askNode} lists them. */
    public String queueMembers(int askNode, String vhost, String queue) {
        return ctl(askNode, "list_queues", "-p", vhost, "name", "type", "members", "leader", "--formatter", "json")
                .lines()
                .filter(line -> line.contains("\"" + queue + "\""))
                .map(line -> line.replaceAll("^[,\\s]+|[,\\s]+$", ""))
                .collect(Collectors.joining("\n"));
    }

    /** Runs {@code rabbitmqctl} on node {@code node} with the cluster's cookie and returns its output. */
    public String ctl(int node, String... arguments) {
        List<String> command = new ArrayList<>(List.of("ctl", String.valueOf(node)));
        command.add("--dir");
        command.add(directory.toString());
        command.add("--");
        command.addAll(List.of(arguments));
        return execute(command);
    }

    /**
     * Kills node {@code node} with SIGKILL, as a crashed machine would, and waits until its process
     * is gone. Returns when it happened, {@link System#nanoTime()}.
     */
    public long kill(int node) {
        long pid = pid(node);
        ProcessHandle handle =
                ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("node " + node + " is not running"));
        long killedAt = System.nanoTime();
        handle.destroyForcibly();
        handle.onExit().join();
        return killedAt;
    }

    /** The pid of node {@code node}'s Erlang VM, from the pid file the node writes. */
    public long pid(int node) {
        try {
            return Long.parseLong(
                    Files.readString(directory.resolve("node-" + node).resolve("node.pid"))
                            .strip());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("node " + node + " has no pid file in " + directory, e);
        }
    }

    /** The script's status: each node and whether they form one cluster. */
    public String status() {
        return execute(List.of("status", "--dir", directory.toString()), true);
    }

    /** Stops every node; the data stays in the directory. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            return; // the JVM is ending: the hook kills the nodes
        }
        execute(List.of("stop", "--dir", directory.toString()), true);
    }

    private void killAll() {
        for (int node = 1; node <= NODES; node++) {
            try {
                ProcessHandle.of(pid(node)).ifPresent(ProcessHandle::destroyForcibly);
            } catch (IllegalStateException e) {
                // never started, or its pid file is gone
            }
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("--dir", directory.toString(), "--base-port", String.valueOf(basePort)));
        execute(full);
    }

    private String execute(List<String> arguments) {
        return execute(arguments, false);
    }

    private String execute(List<String> arguments, boolean anyExitStatus) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(arguments);
        try {
            Files.createDirectories(directory);
            Path output = Files.createTempFile(directory, "script", ".out");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("SALESYNC_RABBITMQ_BIN", BIN.toString());
            Process process = builder.start();
            if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + SCRIPT_TIMEOUT.toMinutes() + " min:\n" + Files.readString(output));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            if (process.exitValue() != 0 && !anyExitStatus) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** The script, found from the module's directory (where the tests run) upwards. */
    private static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts").resolve("local-rabbitmq-cluster.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/local-rabbitmq-cluster.sh not found above "
                + Path.of("").toAbsolutePath());
    }

    /**
     * A base port whose AMQP (base to base + 2) and distribution ports (base + 20000 to + 20002) are
     * free, below the ephemeral range so that no client socket takes one meanwhile.
     */
    private static int freeBasePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(6_000, 12_000);
            if (free(base)
                    && free(base + 1)
                    && free(base + 2)
                    && free(base + 20_000)
                    && free(base + 20_001)
                    && free(base + 20_002)) {
                return base;
            }
        }
        throw new IllegalStateException("no free block of ports for a private RabbitMQ cluster");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
