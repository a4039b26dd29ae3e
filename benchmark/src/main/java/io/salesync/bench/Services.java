package io.salesync.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.db.DatabaseSettings;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The MySQL server and RabbitMQ broker the benchmark runs against, reached as an administrator that
 * may create and drop schemas, queues and exchanges. Every name the run creates carries the run's
 * id ({@code bench_<id>_...} schemas, {@code bench-<id>-...} broker names), so runs never see each
 * other's data, nor the applications' own schemas and queues.
 */
public final class Services {

    /** Where the services are and as whom to reach them; passwords are never printed. */
    public record Endpoints(
            String mysqlUrl,
            String mysqlUser,
            String mysqlPassword,
            URI amqpUri,
            String amqpUser,
            String amqpPassword) {

        static Endpoints from(Map<String, String> given, Map<String, String> env) {
            String mysqlUrl = given.getOrDefault(
                    "--mysql-url", env.getOrDefault("SALESYNC_BENCH_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/"));
            if (!mysqlUrl.startsWith("jdbc:mysql:")) {
                throw new IllegalArgumentException(
                        "--mysql-url must be a MySQL JDBC URL such as jdbc:mysql://127.0.0.1:3306/, not '" + mysqlUrl
                                + "'");
            }
            String amqpUri = given.getOrDefault(
                    "--amqp-uri", env.getOrDefault("SALESYNC_BENCH_AMQP_URI", "amqp://127.0.0.1:5672/%2F"));
            if (!amqpUri.startsWith("amqp://") && !amqpUri.startsWith("amqps://")) {
                throw new IllegalArgumentException(
                        "--amqp-uri must be an amqp:// or amqps:// URI, not '" + amqpUri + "'");
            }
            return new Endpoints(
                    mysqlUrl,
                    given.getOrDefault("--mysql-user", env.getOrDefault("SALESYNC_BENCH_MYSQL_USER", "root")),
                    given.getOrDefault("--mysql-password", env.getOrDefault("SALESYNC_BENCH_MYSQL_PASSWORD", "")),
                    URI.create(amqpUri),
                    given.getOrDefault("--amqp-user", env.getOrDefault("SALESYNC_BENCH_AMQP_USER", "guest")),
                    given.getOrDefault("--amqp-password", env.getOrDefault("SALESYNC_BENCH_AMQP_PASSWORD", "guest")));
        }

        @Override
        public String toString() {
            return "Endpoints[mysql=" + mysqlUrl + " as " + mysqlUser + ", amqp=" + amqpUri + " as " + amqpUser
                    + ", passwords=********]";
        }
    }

    private final Endpoints endpoints;
    private final String runId;

    public Services(Endpoints endpoints) {
        this(endpoints, UUID.randomUUID().toString().substring(0, 6));
    }

    public Services(Endpoints endpoints, String runId) {
        this.endpoints = endpoints;
        this.runId = runId;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public String runId() {
        return runId;
    }

    /** The schema name of {@code name} in {@code scenario}, for example {@code bench_1a2b3c_c2_b01}. */
    public String schemaName(String scenario, String name) {
        return ("bench_" + runId + "_" + scenario + "_" + name)
                .toLowerCase(Locale.ROOT)
                .replace('-', '_');
    }

    /** The broker name prefix of a scenario, for example {@code bench-1a2b3c-c2}. */
    public String brokerPrefix(String scenario) {
        return "bench-" + runId + "-" + scenario;
    }

    /** JDBC URL of a schema on the server (any query string of the admin URL kept). */
    public String schemaUrl(String schema) {
        String url = endpoints.mysqlUrl();
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String params = query < 0 ? "" : url.substring(query);
        return (base.endsWith("/") ? base : base + "/") + schema + params;
    }

    /** Connection settings of a schema as the admin user (the applications migrate it themselves). */
    public DatabaseSettings database(String schema, int poolSize) {
        return new DatabaseSettings(schemaUrl(schema), endpoints.mysqlUser(), endpoints.mysqlPassword(), poolSize);
    }

    /** Configuration keys for a schema, as an application reads them. */
    public Map<String, String> databaseKeys(String schema, int poolSize) {
        return Map.of(
                DatabaseSettings.URL,
                schemaUrl(schema),
                DatabaseSettings.USER,
                endpoints.mysqlUser(),
                DatabaseSettings.PASSWORD,
                endpoints.mysqlPassword(),
                DatabaseSettings.POOL_SIZE,
                String.valueOf(poolSize));
    }

    /** Configuration keys for a scenario's broker names. */
    public Map<String, String> brokerKeys(String prefix) {
        return Map.of(
                BrokerSettings.URI_KEY,
                endpoints.amqpUri().toString(),
                BrokerSettings.USER,
                endpoints.amqpUser(),
                BrokerSettings.PASSWORD,
                endpoints.amqpPassword(),
                BrokerSettings.PREFIX,
                prefix);
    }

    public void createSchema(String schema) throws SQLException {
        execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }

    public void dropSchema(String schema) throws SQLException {
        execute("DROP DATABASE IF EXISTS " + schema);
    }

    public Connection mysql() throws SQLException {
        return DriverManager.getConnection(endpoints.mysqlUrl(), endpoints.mysqlUser(), endpoints.mysqlPassword());
    }

    /** A server variable such as {@code max_connections}, as text. */
    public String variable(String name) throws SQLException {
        try (Connection connection = mysql();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@GLOBAL." + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Sets a global server variable; needs an admin (SUPER or SYSTEM_VARIABLES_ADMIN). */
    public void setGlobal(String name, long value) throws SQLException {
        execute("SET GLOBAL " + name + " = " + value);
    }

    public com.rabbitmq.client.Connection amqp(String name) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(endpoints.amqpUri());
            factory.setUsername(endpoints.amqpUser());
            factory.setPassword(endpoints.amqpPassword());
            factory.setConnectionTimeout(5_000);
            factory.setAutomaticRecoveryEnabled(false);
            return factory.newConnection("salesync-bench-" + runId + "-" + name);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Cannot reach RabbitMQ at " + endpoints.amqpUri() + " as " + endpoints.amqpUser()
                            + ": is it running, and may that user use the vhost? (" + e.getMessage() + ")",
                    e);
        }
    }

    /** Runs something on a short-lived channel of its own. */
    public void withChannel(String name, ChannelWork work) {
        try (com.rabbitmq.client.Connection connection = amqp(name);
                Channel channel = connection.createChannel()) {
            work.run(channel);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("RabbitMQ at " + endpoints.amqpUri() + ": " + e.getMessage(), e);
        }
    }

    /** Work on a channel. */
    @FunctionalInterface
    public interface ChannelWork {
        void run(Channel channel) throws IOException;
    }

    /** The broker's version, as it announces itself. */
    public String brokerVersion() {
        try (com.rabbitmq.client.Connection connection = amqp("probe")) {
            return String.valueOf(connection.getServerProperties().get("version"));
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Checks both services answer; says what is wrong when one does not. */
    public void check(Consumer<String> say) throws SQLException {
        try (Connection connection = mysql()) {
            say.accept("MySQL " + connection.getMetaData().getDatabaseProductVersion() + " at " + endpoints.mysqlUrl()
                    + " as " + endpoints.mysqlUser());
        } catch (SQLException e) {
            throw new SQLException(
                    "Cannot reach MySQL at " + endpoints.mysqlUrl() + " as " + endpoints.mysqlUser()
                            + ": is it running, and may that user create schemas? (" + e.getMessage() + ")",
                    e);
        }
        say.accept("RabbitMQ " + brokerVersion() + " at " + endpoints.amqpUri() + " as " + endpoints.amqpUser());
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = mysql();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
