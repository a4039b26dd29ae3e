package io.salesync.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The private MariaDB server the fault tests use: it survives a kill, and a dump restores an older state. */
class PrivateMariaDbIT {

    @TempDir
    static Path directory;

    private static PrivateMariaDb server;

    @BeforeAll
    static void startServer() {
        server = PrivateMariaDb.start(directory.resolve("db"));
        server.createSchema("shop");
        sql("CREATE TABLE shop.sale (id INT PRIMARY KEY, body BLOB)");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void committedRowsSurviveAKillAndAStop() throws Exception {
        sql("INSERT INTO shop.sale VALUES (100, x'00ff')");

        server.kill();
        assertThatThrownBy(PrivateMariaDbIT::rowCount).isInstanceOf(SQLException.class);
        server.start();
        server.stop();
        server.start();

        assertThat(count("SELECT COUNT(*) FROM shop.sale WHERE id = 100 AND body = x'00ff'"))
                .isEqualTo(1);
    }

    @Test
    void aRestoredDumpBringsBackTheOlderState() throws Exception {
        sql("CREATE TABLE shop.later (id INT PRIMARY KEY)");
        sql("INSERT INTO shop.later VALUES (1)");
        Path dump = server.dump("shop", directory.resolve("shop.sql"));
        sql("INSERT INTO shop.later VALUES (2), (3)");

        server.restore("shop", dump);

        assertThat(count("SELECT COUNT(*) FROM shop.later")).isEqualTo(1);
    }

    private static long rowCount() throws SQLException {
        return count("SELECT COUNT(*) FROM shop.sale");
    }

    private static long count(String query) throws SQLException {
        try (Connection connection = server.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String statementText) {
        try (Connection connection = server.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(statementText);
        } catch (SQLException e) {
            throw new IllegalStateException(statementText, e);
        }
    }
}
