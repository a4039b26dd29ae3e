package io.salesync.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.common.testing.Sandbox;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Transactions on a pool whose connections stay in a transaction mode, against the real server:
 * committed or rolled back like on any pool, without turning autocommit off and on for each; and
 * statement groups, in one round trip on such a pool, one statement after another on any other,
 * with the same results either way.
 */
class TransactionPoolIT {

    private Sandbox sandbox;
    private HikariDataSource transactions;
    private HikariDataSource regular;

    @BeforeEach
    void createTable() throws Exception {
        sandbox = new Sandbox();
        String url = sandbox.mysql().url(sandbox.schema("tx"));
        DatabaseSettings settings = new DatabaseSettings(
                url, sandbox.mysql().user(), sandbox.mysql().password(), 1);
        transactions = Databases.transactionPool(settings, "test-tx", 1);
        regular = Databases.pool(settings, "test-regular");
        try (Connection connection = regular.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL)");
            statement.execute("INSERT INTO counter VALUES (1, 0)");
            statement.execute("CREATE TABLE item (id INT PRIMARY KEY, label VARCHAR(20) NOT NULL)");
            statement.execute("INSERT INTO item VALUES (1, 'one'), (2, 'two')");
        }
    }

    @AfterEach
    void close() {
        transactions.close();
        regular.close();
        sandbox.close();
    }

    @Test
    void aTransactionCostsNoAutocommitSwitchAndIsCommitted() throws Exception {
        long before = setOptions(transactions);
        for (int i = 0; i < 3; i++) {
            Databases.inTransaction(transactions, this::increment);
        }
        assertThat(setOptions(transactions) - before)
                .as("SET statements on the transaction pool's connection")
                .isZero();
        assertThat(counter()).isEqualTo(3);

        long regularBefore = setOptions(regular);
        Databases.inTransaction(regular, this::increment);
        assertThat(setOptions(regular) - regularBefore)
                .as("autocommit off and on again on a regular pool")
                .isEqualTo(2);
        assertThat(counter()).isEqualTo(4);
    }

    @Test
    void aFailedTransactionLeavesNothingAndTheConnectionStartsAFreshOne() throws Exception {
        assertThatThrownBy(() -> Databases.inTransaction(transactions, connection -> {
                    increment(connection);
                    throw new SQLException("the work failed");
                }))
                .hasMessage("the work failed");
        assertThat(counter()).isZero();

        Databases.inTransaction(transactions, this::increment);
        assertThat(counter()).isEqualTo(1);
        try (Connection connection = transactions.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@session.autocommit")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the pooled connection's session").isZero();
            connection.commit();
        }
    }

    @Test
    void onlyTheTransactionPoolSendsAGroupInOneGo() throws Exception {
        try (Connection connection = transactions.getConnection()) {
            assertThat(StatementGroup.allowsMultipleStatements(connection)).isTrue();
        }
        try (Connection connection = regular.getConnection()) {
            assertThat(StatementGroup.allowsMultipleStatements(connection)).isFalse();
        }
    }

    @ParameterizedTest(name = "transaction pool: {0}")
    @ValueSource(booleans = {true, false})
    void theStatementsRunInOrderAndEachGivesItsCount(boolean transactionPool) throws Exception {
        int[][] counts = new int[1][];
        Databases.inTransaction(
                transactionPool ? transactions : regular,
                connection -> counts[0] = new StatementGroup()
                        .add("INSERT INTO item VALUES (?, ?)", (statement, first) -> {
                            statement.setInt(first, 3);
                            statement.setString(first + 1, "three");
                        })
                        .add("UPDATE item SET label = CONCAT(label, ?) WHERE id <= ?", (statement, first) -> {
                            statement.setString(first, "!");
                            statement.setInt(first + 1, 2);
                        })
                        .add("UPDATE item SET label = ? WHERE id = ?", (statement, first) -> {
                            statement.setString(first, "none");
                            statement.setInt(first + 1, 99);
                        })
                        .execute(connection));

        assertThat(counts[0]).containsExactly(1, 2, 0);
        assertThat(labels()).containsExactly("one!", "two!", "three");
    }

    @ParameterizedTest(name = "transaction pool: {0}")
    @ValueSource(booleans = {true, false})
    void aFailureStopsTheGroupAndWhatRanBeforeItStays(boolean transactionPool) throws Exception {
        Databases.inTransaction(transactionPool ? transactions : regular, connection -> {
            StatementGroup group = new StatementGroup()
                    .add("INSERT INTO item VALUES (10, ?)", (statement, first) -> statement.setString(first, "ten"))
                    .add("INSERT INTO item VALUES (1, ?)", (statement, first) -> statement.setString(first, "again"))
                    .add("INSERT INTO item VALUES (11, ?)", (statement, first) -> statement.setString(first, "eleven"));
            assertThatThrownBy(() -> group.execute(connection))
                    .isInstanceOfSatisfying(
                            SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(1062));
        });

        assertThat(labels()).containsExactly("one", "two", "ten");
    }

    @Test
    void aGroupTooLongToCacheRunsStatementByStatement() throws Exception {
        StatementGroup group = new StatementGroup();
        String padding = " ".repeat(1000);
        for (int id = 100; id < 110; id++) {
            int value = id;
            group.add(
                    "INSERT INTO item VALUES (?, 'x')" + padding, (statement, first) -> statement.setInt(first, value));
        }
        Databases.inTransaction(transactions, group::execute);

        assertThat(labels()).hasSize(12);
    }

    private void increment(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE counter SET n = n + 1 WHERE id = 1");
        }
    }

    private int counter() throws SQLException {
        try (Connection connection = regular.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT n FROM counter WHERE id = 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** SET statements this pool's one connection has sent (its session's Com_set_option). */
    private static long setOptions(DataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SHOW SESSION STATUS LIKE 'Com_set_option'")) {
            rs.next();
            long count = rs.getLong(2);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return count;
        }
    }

    private List<String> labels() throws SQLException {
        List<String> labels = new ArrayList<>();
        try (Connection connection = regular.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT label FROM item ORDER BY id")) {
            while (rs.next()) {
                labels.add(rs.getString(1));
            }
        }
        return labels;
    }
}
