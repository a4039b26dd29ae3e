package io.salesync.common.testing;

import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.containers.RabbitMQContainer;

/**
 * Finds the MySQL and RabbitMQ servers the integration tests use, in this order: environment
 * variables, the services on the local default ports, then Testcontainers when Docker is available.
 * With {@code CI=true} a missing service fails the test run; otherwise the test is reported as
 * skipped (aborted), never as passed.
 *
 * <pre>
 * SALESYNC_TEST_MYSQL_URL       jdbc:mysql://host:3306/   (no schema; each test makes its own)
 * SALESYNC_TEST_MYSQL_USER      a user allowed to create and drop schemas (default root)
 * SALESYNC_TEST_MYSQL_PASSWORD  (default empty)
 * SALESYNC_TEST_AMQP_URI        amqp://host:5672/vhost  (the default vhost "/" is written %2F)
 * SALESYNC_TEST_AMQP_USER / SALESYNC_TEST_AMQP_PASSWORD  (default guest/guest)
 * </pre>
 */
public final class TestServices {

    /** A MySQL server and a user that may create schemas. */
    public record Mysql(String baseUrl, String user, String password) {

        /** JDBC URL of a schema on this server. */
        public String url(String schema) {
            String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
            return base + schema;
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(baseUrl, user, password);
        }

        /** Host and port, for a proxy placed in front of it. */
        public URI hostAndPort() {
            return URI.create(baseUrl.substring("jdbc:".length()));
        }
    }

    /** A RabbitMQ server, a vhost and a user that may declare and delete there. */
    public record Amqp(URI uri, String user, String password) {}

    private static Mysql mysql;
    private static Amqp amqp;

    private TestServices() {}

    public static synchronized Mysql mysql() {
        if (mysql == null) {
            mysql = findMysql(System.getenv());
        }
        return mysql;
    }

    public static synchronized Amqp amqp() {
        if (amqp == null) {
            amqp = findAmqp(System.getenv());
        }
        return amqp;
    }

    private static Mysql findMysql(Map<String, String> env) {
        String url = env.get("SALESYNC_TEST_MYSQL_URL");
        if (url != null) {
            Mysql configured = new Mysql(
                    url,
                    env.getOrDefault("SALESYNC_TEST_MYSQL_USER", "root"),
                    env.getOrDefault("SALESYNC_TEST_MYSQL_PASSWORD", ""));
            String problem = probe(configured);
            if (problem != null) {
                return missing("MySQL from SALESYNC_TEST_MYSQL_URL=" + url + " does not answer: " + problem);
            }
            return configured;
        }
        Mysql local = new Mysql("jdbc:mysql://127.0.0.1:3306/", "root", "");
        String localProblem = probe(local);
        if (localProblem == null) {
            return local;
        }
        if (dockerAvailable()) {
            MySQLContainer<?> container =
                    new MySQLContainer<>("mysql:8.4").withUsername("root").withPassword("test");
            container.start();
            String base =
                    container.getJdbcUrl().substring(0, container.getJdbcUrl().lastIndexOf('/') + 1);
            return new Mysql(base, "root", "test");
        }
        return missing("no MySQL for the integration tests: SALESYNC_TEST_MYSQL_URL is not set, 127.0.0.1:3306 as root"
                + " failed (" + localProblem + ") and Docker is not available");
    }

    private static Amqp findAmqp(Map<String, String> env) {
        String uri = env.get("SALESYNC_TEST_AMQP_URI");
        if (uri != null) {
            Amqp configured = new Amqp(
                    URI.create(uri),
                    env.getOrDefault("SALESYNC_TEST_AMQP_USER", "guest"),
                    env.getOrDefault("SALESYNC_TEST_AMQP_PASSWORD", "guest"));
            String problem = probe(configured);
            if (problem != null) {
                return missing("RabbitMQ from SALESYNC_TEST_AMQP_URI=" + uri + " does not answer: " + problem);
            }
            return configured;
        }
        Amqp local = new Amqp(URI.create("amqp://127.0.0.1:5672/%2F"), "guest", "guest");
        String localProblem = probe(local);
        if (localProblem == null) {
            return local;
        }
        if (dockerAvailable()) {
            // The 1 MiB message size limit of rabbitmq/rabbitmq.conf (that file also loads the definitions, which would
            // remove the guest user the container's tests log in with).
            RabbitMQContainer container = new RabbitMQContainer("rabbitmq:4-management")
                    .withEnv("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-rabbit max_message_size 1048576");
            container.start();
            return new Amqp(
                    URI.create(container.getAmqpUrl() + "/%2F"),
                    container.getAdminUsername(),
                    container.getAdminPassword());
        }
        return missing(
                "no RabbitMQ for the integration tests: SALESYNC_TEST_AMQP_URI is not set, 127.0.0.1:5672 as guest"
                        + " failed (" + localProblem + ") and Docker is not available");
    }

    private static String probe(Mysql server) {
        DriverManager.setLoginTimeout(3);
        try (Connection connection = DriverManager.getConnection(server.baseUrl(), server.user(), server.password())) {
            return connection.isValid(3) ? null : "the connection is not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static String probe(Amqp server) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(server.uri());
            factory.setUsername(server.user());
            factory.setPassword(server.password());
            factory.setConnectionTimeout(3_000);
            factory.newConnection("salesync-test-probe").close();
            return null;
        } catch (Exception e) {
            return String.valueOf(e.getMessage());
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Fails under CI, aborts (reported as skipped) elsewhere. */
    private static <T> T missing(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(why + " (CI=true: a missing service is a failure)");
        }
        Assumptions.abort(why);
        return null;
    }
}
