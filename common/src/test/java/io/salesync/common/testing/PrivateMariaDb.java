package io.salesync.common.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A MariaDB server of the test's own, on a spare port with its own data directory, socket and pid
 * file, so that a test can stop, kill, restart, dump and restore a database without touching the
 * shared server. The data directory is initialised with {@code mariadb-install-db}; {@code root}
 * connects from 127.0.0.1 without a password.
 *
 * <p>Needs MariaDB installed on this machine. The programs are found on the usual Debian paths, or
 * named by environment variables: {@code SALESYNC_TEST_MARIADBD} (the server, default
 * {@code /usr/sbin/mariadbd}), {@code SALESYNC_TEST_MARIADB_BIN} (the directory holding
 * {@code mariadb-install-db}, {@code mariadb-dump} and {@code mariadb}, default {@code /usr/bin}).
 * When they are missing the test is aborted, or fails under {@code CI=true}; a server that is
 * installed but does not start fails with the end of its error log.
 *
 * <p>Not thread-safe for concurrent start/stop; the methods are synchronized for that reason.
 */
public final class PrivateMariaDb implements AutoCloseable {

    private static final Path SERVER =
            Path.of(System.getenv().getOrDefault("SALESYNC_TEST_MARIADBD", "/usr/sbin/mariadbd"));
    private static final Path BIN = Path.of(System.getenv().getOrDefault("SALESYNC_TEST_MARIADB_BIN", "/usr/bin"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z0-9_]{1,64}");

    private final Path directory;
    private final int port;
    private Process process;

    private PrivateMariaDb(Path directory) {
        this.directory = directory.toAbsolutePath();
        this.port = freePort();
    }

    /**
     * Initialises a data directory under {@code directory} (which may exist, and must be short
     * enough for a Unix socket path) and starts the server.
     */
    public static PrivateMariaDb start(Path directory) {
        PrivateMariaDb server = new PrivateMariaDb(directory);
        server.install();
        return server.start();
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:mysql://127.0.0.1:port/}, no schema. */
    public String baseUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/";
    }

    /** JDBC URL of a schema on this server. */
    public String url(String schema) {
        return baseUrl() + schema;
    }

    public String user() {
        return "root";
    }

    public String password() {
        return "";
    }

    /** This server as the shared-service record other test helpers take. */
    public TestServices.Mysql asMysql() {
        return new TestServices.Mysql(baseUrl(), user(), password());
    }

    /** The server's error log, for messages and post-mortems. */
    public Path errorLog() {
        return directory.resolve("error.log");
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Opens a root connection to no particular schema. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(baseUrl() + "?connectTimeout=3000", user(), password());
    }

    /** Creates a schema (utf8mb4) if it does not exist yet. */
    public void createSchema(String schema) {
        execute("CREATE DATABASE IF NOT EXISTS " + checked(schema)
                + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }

    /** Starts the server (again, keeping its data) and waits until it answers SQL. */
    public synchronized PrivateMariaDb start() {
        if (running()) {
            return this;
        }
        List<String> command = new ArrayList<>(List.of(
                SERVER.toString(),
                "--no-defaults",
                "--datadir=" + directory.resolve("data"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--skip-networking=0",
                "--socket=" + directory.resolve("mysqld.sock"),
                "--pid-file=" + directory.resolve("mysqld.pid"),
                "--log-error=" + errorLog(),
                "--skip-name-resolve",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--innodb-buffer-pool-size=32M",
                "--innodb-log-file-size=16M",
                "--performance-schema=OFF",
                "--max-connections=200"));
        runAsRootIfRoot(command);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            directory.resolve("server.out").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a private MariaDB server (" + SERVER + ") in " + directory, e);
        }
        Process started = process;
        AtomicReference<String> lastProblem = new AtomicReference<>("not tried");
        try {
            await().atMost(START_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !started.isAlive() || lastProblem.updateAndGet(previous -> probe()) == null);
        } catch (ConditionTimeoutException e) {
            started.destroyForcibly();
            throw new IllegalStateException(
                    "private MariaDB server on port " + port + " did not answer within " + START_TIMEOUT.toSeconds()
                            + " s (" + lastProblem.get() + "); end of " + errorLog() + ":\n" + tail(errorLog()),
                    e);
        }
        if (!started.isAlive()) {
            throw new IllegalStateException("private MariaDB server on port " + port + " exited with status "
                    + started.exitValue() + " while starting; end of " + errorLog() + ":\n" + tail(errorLog()));
        }
        return this;
    }

    /** Stops the server the way an operator would (SIGTERM, a clean shutdown) and waits for it to exit. */
    public synchronized void stop() {
        signal(false);
    }

    /** Kills the server with SIGKILL: InnoDB recovers from its redo log at the next start. */
    public synchronized void kill() {
        signal(true);
    }

    /**
     * Dumps one schema (a consistent snapshot, taken while the server keeps working) to a file, as
     * a backup an operator would restore later.
     */
    public Path dump(String schema, Path file) {
        run(
                List.of(
                        tool("mariadb-dump").toString(),
                        "--no-defaults",
                        "--host=127.0.0.1",
                        "--port=" + port,
                        "--user=" + user(),
                        "--single-transaction",
                        "--hex-blob",
                        "--skip-comments",
                        checked(schema)),
                null,
                file);
        return file;
    }

    /** Replaces a schema by the content of a dump made with {@link #dump}. */
    public void restore(String schema, Path file) {
        execute("DROP DATABASE IF EXISTS " + checked(schema));
        createSchema(schema);
        run(
                List.of(
                        tool("mariadb").toString(),
                        "--no-defaults",
                        "--host=127.0.0.1",
                        "--port=" + port,
                        "--user=" + user(),
                        checked(schema)),
                file,
                null);
    }

    /** Kills the server and deletes its data; the error log stays for post-mortems. */
    @Override
    public synchronized void close() {
        kill();
        Path data = directory.resolve("data");
        if (Files.isDirectory(data)) {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + data, e);
            }
        }
    }

    private void install() {
        requireInstalled(SERVER);
        requireInstalled(tool("mariadb-install-db"));
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(
                tool("mariadb-install-db").toString(),
                "--no-defaults",
                "--datadir=" + directory.resolve("data"),
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--innodb-log-file-size=16M",
                "--innodb-buffer-pool-size=32M"));
        runAsRootIfRoot(command);
        run(command, null, directory.resolve("install.log"));
    }

    private void signal(boolean forcibly) {
        if (process == null) {
            return;
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the private MariaDB server", e);
        }
        process = null;
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !accepts());
    }

    private String probe() {
        try (Connection connection =
                DriverManager.getConnection(baseUrl() + "?connectTimeout=1000", user(), password())) {
            return connection.isValid(2) ? null : "the connection is not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private void execute(String sql) {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot run '" + sql + "' on the private MariaDB server at " + baseUrl(), e);
        }
    }

    /** Runs a client program to completion; stdin and stdout may be files. */
    private void run(List<String> command, Path stdin, Path stdout) {
        Path errors = directory.resolve(Path.of(command.get(0)).getFileName() + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        if (stdout != null) {
            builder.redirectOutput(stdout.toFile());
        } else {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        try {
            Process child = builder.start();
            if (!child.waitFor(120, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 120 s");
            }
            if (child.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed with status " + child.exitValue() + ":\n" + tail(errors));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private static Path tool(String name) {
        return BIN.resolve(name);
    }

    /** mariadbd refuses to run as root unless told to; as another user the option must be absent. */
    private static void runAsRootIfRoot(List<String> command) {
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root");
        }
    }

    private static void requireInstalled(Path program) {
        if (Files.isExecutable(program)) {
            return;
        }
        String why = "no " + program + " for a private MariaDB server (install MariaDB, or set SALESYNC_TEST_MARIADBD"
                + " and SALESYNC_TEST_MARIADB_BIN)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(why + " (CI=true: a missing service is a failure)");
        }
        Assumptions.abort(why);
    }

    private static String checked(String schema) {
        String lower = schema.toLowerCase(Locale.ROOT);
        if (!SCHEMA_NAME.matcher(lower).matches()) {
            throw new IllegalArgumentException(
                    "schema name '" + schema + "' must be lower-case letters, digits and '_'");
        }
        return lower;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(" + file + " cannot be read: " + e.getMessage() + ")";
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
