package io.salesync.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.common.testing.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the start-up path (a pool, then the migrations) says against a real server for each way it
 * can be misconfigured or down: a wrong password for a real user, a closed port, a schema that does
 * not exist, a migration user without the rights to create tables.
 */
class DatabaseMessagesIT {

    private final Sandbox sandbox = new Sandbox();

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    /** Opens a pool as {@code settings} and migrates, the way both applications start; returns the failure's message. */
    private static String startUpFailure(DatabaseSettings settings) {
        try (HikariDataSource pool = Databases.pool(settings, "messages-it")) {
            Throwable failure =
                    org.assertj.core.api.Assertions.catchThrowable(() -> Databases.migrate(pool, "none", settings));
            assertThat(failure).as("starting with %s", settings).isInstanceOf(StorageException.class);
            return failure.getMessage();
        }
    }

    @Test
    void aWrongPasswordSaysAccessDeniedAndNamesTheKeys() {
        String user = sandbox.mysqlUser("db", "app", "the-right-password", "ALL PRIVILEGES");
        String url = sandbox.mysql().url(sandbox.schema("db"));

        String sentence = startUpFailure(new DatabaseSettings(url, user, "a-wrong-password", 1));

        assertThat(sentence)
                .isEqualTo("MySQL at " + hostAndPort() + " refused user " + user
                        + " (access denied): check salesync.db.user and salesync.db.password.");
    }

    @Test
    void aWrongMigrationPasswordNamesTheMigrationKeys() {
        String app = sandbox.mysqlUser("db", "app", "app-password", "SELECT, INSERT, UPDATE, DELETE");
        String owner = sandbox.mysqlUser("db", "owner", "owner-password", "ALL PRIVILEGES");
        String url = sandbox.mysql().url(sandbox.schema("db"));

        String sentence = startUpFailure(new DatabaseSettings(url, app, "app-password", 1, owner, "a-wrong-password"));

        assertThat(sentence)
                .isEqualTo("MySQL at " + hostAndPort() + " refused user " + owner
                        + " (access denied): check salesync.db.migration-user and salesync.db.migration-password.");
    }

    @Test
    void aMigrationUserWithoutTheRightToCreateTablesIsNamed() {
        String app = sandbox.mysqlUser("db", "app", "app-password", "SELECT, INSERT, UPDATE, DELETE");
        String owner = sandbox.mysqlUser("db", "owner", "owner-password", "SELECT, INSERT, UPDATE, DELETE");
        String schema = sandbox.schema("db");

        String sentence = startUpFailure(
                new DatabaseSettings(sandbox.mysql().url(schema), app, "app-password", 1, owner, "owner-password"));

        assertThat(sentence)
                .startsWith("MySQL at " + hostAndPort() + " refused user " + owner
                        + " (missing rights: CREATE command denied")
                .endsWith("as root, grant " + owner + " ALL PRIVILEGES on " + schema + ".*.");
    }

    @Test
    void aClosedPortAsksWhetherTheServerRuns() {
        int port = closedPort();
        String url = "jdbc:mysql://127.0.0.1:" + port + "/salesync_ho";

        String sentence = startUpFailure(new DatabaseSettings(
                url, sandbox.mysql().user(), sandbox.mysql().password(), 1));

        assertThat(sentence)
                .isEqualTo("Cannot reach MySQL at 127.0.0.1:" + port + " (connection refused): is it running, and is"
                        + " salesync.db.url (" + url + ") right?");
    }

    @Test
    void anUnknownSchemaSaysItDoesNotExist() {
        String schema = "salesync_missing_" + UUID.randomUUID().toString().substring(0, 8);
        String url = sandbox.mysql().url(schema);

        String sentence = startUpFailure(new DatabaseSettings(
                url, sandbox.mysql().user(), sandbox.mysql().password(), 1));

        assertThat(sentence)
                .startsWith("MySQL at " + hostAndPort() + " has no database " + schema
                        + " (unknown database): check salesync.db.url, or create it as root");
    }

    @Test
    void aUserWithoutRightsOnTheSchemaInTheUrlIsNamed() {
        String user = sandbox.mysqlUser("db", "app", "app-password", "SELECT, INSERT, UPDATE, DELETE");
        String other = "salesync_other_" + UUID.randomUUID().toString().substring(0, 8);

        String sentence = startUpFailure(new DatabaseSettings(sandbox.mysql().url(other), user, "app-password", 1));

        assertThat(sentence)
                .startsWith("MySQL at " + hostAndPort() + " refused user " + user
                        + " (missing rights: Access denied for user '" + user + "'@'%' to database '" + other + "')");
    }

    @Test
    void theAccessDeniedFailureIsStillAConnectionProblemForRetrying() {
        String user = sandbox.mysqlUser("db", "app", "the-right-password", "ALL PRIVILEGES");
        DatabaseSettings settings =
                new DatabaseSettings(sandbox.mysql().url(sandbox.schema("db")), user, "a-wrong-password", 1);

        try (HikariDataSource pool = Databases.pool(settings, "messages-it")) {
            assertThatThrownBy(() -> pool.getConnection().close())
                    .satisfies(e -> assertThat(Databases.isConnectionProblem(e)).isTrue());
        }
    }

    private String hostAndPort() {
        return sandbox.mysql().hostAndPort().getHost() + ":"
                + sandbox.mysql().hostAndPort().getPort();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
