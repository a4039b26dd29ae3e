package io.salesync.common.db;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.jdbc.JdbcConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Statements of one transaction that do not wait for each other's results, sent to the server in
 * one round trip ({@code "a; b; c"}) on a connection that allows it (a {@link Databases#transactionPool}),
 * one after another on any other. The server runs them in order and stops at the first that fails;
 * its error is thrown, and the statements before it stay done, like separate statements in the
 * caller's transaction.
 *
 * <p>On a machine where every round trip costs system calls at both ends (and, in a virtual machine,
 * exits to the hypervisor), a transaction's round trips weigh more than its rows: the head office's
 * batch at a few changes per transaction, a clerk's save.
 *
 * <p>A group longer than {@link #MAX_COMBINED_SQL} characters is sent statement by statement: the
 * driver parses a statement's text before binding, and only texts up to that length are cached.
 */
public final class StatementGroup {

    /** The pools' statement cache takes SQL up to this length (see {@link Databases}). */
    static final int MAX_COMBINED_SQL = 8192;

    /** Binds one statement's parameters, the first at index {@code first}. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement statement, int first) throws SQLException;
    }

    private record Part(String sql, int parameters, Binder binder) {}

    private final List<Part> parts = new ArrayList<>();
    private int length;

    /** Adds a statement with as many parameters as its text has question marks. */
    public StatementGroup add(String sql, Binder binder) {
        parts.add(new Part(sql, (int) sql.chars().filter(c -> c == '?').count(), binder));
        length += sql.length() + 2;
        return this;
    }

    /** Adds the statements of another group after these. */
    public StatementGroup addAll(StatementGroup other) {
        parts.addAll(other.parts);
        length += other.length;
        return this;
    }

    public boolean isEmpty() {
        return parts.isEmpty();
    }

    /**
     * Runs the statements in order.
     *
     * @return each statement's update count, in order
     * @throws SQLException the first failure; the statements after it did not run
     */
    public int[] execute(Connection connection) throws SQLException {
        int[] counts = new int[parts.size()];
        if (parts.isEmpty()) {
            return counts;
        }
        if (parts.size() == 1 || length > MAX_COMBINED_SQL || !allowsMultipleStatements(connection)) {
            for (int i = 0; i < parts.size(); i++) {
                Part part = parts.get(i);
                try (PreparedStatement statement = connection.prepareStatement(part.sql())) {
                    part.binder().bind(statement, 1);
                    counts[i] = statement.executeUpdate();
                }
            }
            return counts;
        }
        StringBuilder sql = new StringBuilder(length);
        for (Part part : parts) {
            if (!sql.isEmpty()) {
                sql.append(";\n");
            }
            sql.append(part.sql());
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int first = 1;
            for (Part part : parts) {
                part.binder().bind(statement, first);
                first += part.parameters();
            }
            // Every result is read: an error of a later statement is only raised when it is reached.
            boolean resultSet = statement.execute();
            for (int i = 0; i < counts.length; i++) {
                if (resultSet) {
                    throw new SQLException("a statement of the group returned rows: "
                            + parts.get(i).sql());
                }
                counts[i] = statement.getUpdateCount();
                if (i + 1 < counts.length) {
                    resultSet = statement.getMoreResults();
                }
            }
        }
        return counts;
    }

    /** Whether the connection's driver sends several statements in one go ({@code allowMultiQueries}). */
    static boolean allowsMultipleStatements(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)) {
            return false;
        }
        return connection
                .unwrap(JdbcConnection.class)
                .getPropertySet()
                .getBooleanProperty(PropertyKey.allowMultiQueries)
                .getValue();
    }
}
