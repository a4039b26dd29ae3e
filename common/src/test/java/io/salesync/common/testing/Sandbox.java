package io.salesync.common.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.zaxxer.hikari.HikariDataSource;
import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.amqp.Topology;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One test's private corner of the shared servers: its own MySQL schemas ({@code it_<id>_<name>})
 * and its own exchange and queue names (prefix {@code it-<id>}), removed again on close, so tests
 * never see each other's data and can run against the developer's own services.
 */
public final class Sandbox implements AutoCloseable {

    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final TestServices.Mysql mysql = TestServices.mysql();
    private final TestServices.Amqp amqp;
    private final List<String> schemas = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<String> users = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<com.rabbitmq.client.Connection> connections = new ArrayList<>();

    /** Declares the sandbox's whole topology, as a head office that has run once would have. */
    public Sandbox() {
        this(TestServices.amqp(), true);
    }

    /** The same on another broker (a private node or cluster), with the shared MySQL. */
    public Sandbox(TestServices.Amqp amqp) {
        this(amqp, true);
    }

    private Sandbox(TestServices.Amqp amqp, boolean declare) {
        this.amqp = amqp;
        if (declare) {
            channel();
        }
    }

    /**
     * A sandbox whose exchanges and queues do not exist yet, as on a broker where the head office
     * has never run; whoever the test starts declares them (and they are deleted on close all the same).
     */
    public static Sandbox withoutTopology() {
        return new Sandbox(TestServices.amqp(), false);
    }

    public String prefix() {
        return "it-" + id;
    }

    public Topology topology() {
        return new Topology(prefix());
    }

    public TestServices.Mysql mysql() {
        return mysql;
    }

    public TestServices.Amqp amqp() {
        return amqp;
    }

    /** Creates (once) the schema for {@code name} and returns its name. */
    public String schema(String name) {
        String schema = ("it_" + id + "_" + name).toLowerCase(Locale.ROOT).replace('-', '_');
        if (!schemas.contains(schema)) {
            execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            schemas.add(schema);
            names.add(name);
        }
        return schema;
    }

    /**
     * Creates a MySQL user (dropped on close) with the given privileges on the schema {@code name}
     * only, and returns its name. The privileges are the test's own text, for example
     * {@code "SELECT, INSERT, UPDATE, DELETE"} or {@code "ALL PRIVILEGES"}.
     */
    public String mysqlUser(String name, String role, String password, String privileges) {
        String user = ("it_" + id + "_" + name + "_" + role).toLowerCase(Locale.ROOT);
        execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'");
        users.add(user);
        execute("GRANT " + privileges + " ON " + schema(name) + ".* TO '" + user + "'@'%'");
        return user;
    }

    /** Configuration keys for the schema {@code name}, reached directly. */
    public Map<String, String> database(String name) {
        return database(name, mysql.url(schema(name)));
    }

    /** Configuration keys for the schema {@code name}, reached through another URL (a proxy, say). */
    public Map<String, String> database(String name, String url) {
        schema(name);
        Map<String, String> values = new LinkedHashMap<>();
        values.put(DatabaseSettings.URL, url);
        values.put(DatabaseSettings.USER, mysql.user());
        values.put(DatabaseSettings.PASSWORD, mysql.password());
        values.put(DatabaseSettings.POOL_SIZE, "4");
        return values;
    }

    /** Configuration keys for this sandbox's broker names. */
    public Map<String, String> broker() {
        return broker(amqp.uri().toString());
    }

    /** Configuration keys for this sandbox's broker names, reached through another URI. */
    public Map<String, String> broker(String uri) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(BrokerSettings.URI_KEY, uri);
        values.put(BrokerSettings.USER, amqp.user());
        values.put(BrokerSettings.PASSWORD, amqp.password());
        values.put(BrokerSettings.PREFIX, prefix());
        return values;
    }

    /** A pool on the schema {@code name}, closed with the sandbox. */
    public HikariDataSource dataSource(String name) {
        HikariDataSource pool = Databases.pool(
                new DatabaseSettings(mysql.url(schema(name)), mysql.user(), mysql.password(), 2), "test-" + name);
        pools.add(pool);
        return pool;
    }

    /** A raw broker connection for test publishers and inspectors, closed with the sandbox. */
    public com.rabbitmq.client.Connection amqpConnection() {
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(amqp.uri());
            factory.setUsername(amqp.user());
            factory.setPassword(amqp.password());
            com.rabbitmq.client.Connection connection = factory.newConnection("salesync-test-" + id);
            connections.add(connection);
            return connection;
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to RabbitMQ at " + amqp.uri(), e);
        }
    }

    /** A channel with the sandbox's topology declared. */
    public Channel channel() {
        try {
            Channel channel = amqpConnection().createChannel();
            topology().declare(channel);
            return channel;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot declare the test topology", e);
        }
    }

    /** Drops the schemas, deletes the queues and exchanges, closes pools and connections. */
    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
        try (com.rabbitmq.client.Connection connection = amqpConnection();
                Channel channel = connection.createChannel()) {
            Topology topology = topology();
            channel.queueDelete(topology.salesQueue());
            channel.queueDelete(topology.deadLetterQueue());
            channel.exchangeDelete(topology.salesExchange());
            channel.exchangeDelete(topology.deadLetterExchange());
            channel.exchangeDelete(topology.controlExchange());
            for (String name : names) {
                channel.queueDelete(topology.controlQueue(name));
            }
            // and every other queue of the test's prefix (control queues of branches it made up, for one):
            // hundreds of leftover quorum queues slow a shared broker's every restart.
            try (BrokerUsers broker = new BrokerUsers(amqp)) {
                for (String queue : broker.queuesStartingWith(prefix() + ".")) {
                    channel.queueDelete(queue);
                }
            }
        } catch (Exception e) {
            // best effort: names are unique per test run
        }
        for (com.rabbitmq.client.Connection connection : connections) {
            if (connection.isOpen()) {
                try {
                    connection.close();
                } catch (Exception e) {
                    // already closed
                }
            }
        }
        for (String schema : schemas) {
            execute("DROP DATABASE IF EXISTS " + schema);
        }
        for (String user : users) {
            execute("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }

    /** Runs a statement as the test user on no particular schema. The SQL is the test's own text. */
    private void execute(String sql) {
        try (Connection connection = mysql.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + mysql.baseUrl(), e);
        }
    }

    /** Counts for small checks: {@code SELECT COUNT(*) ...} on the schema {@code name}. */
    public long count(String name, String sql, Object... parameters) {
        try (Connection connection =
                        java.sql.DriverManager.getConnection(mysql.url(schema(name)), mysql.user(), mysql.password());
                java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    /** Merges configuration maps, later ones winning. */
    @SafeVarargs
    public static Map<String, String> merge(Map<String, String>... maps) {
        Map<String, String> merged = new HashMap<>();
        for (Map<String, String> map : maps) {
            merged.putAll(map);
        }
        return merged;
    }
}
