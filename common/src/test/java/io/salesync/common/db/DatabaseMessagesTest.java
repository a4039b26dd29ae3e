package io.salesync.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientConnectionException;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/**
 * The sentence an operator reads for each way MySQL can fail, from exceptions carrying the SQLState
 * and error code that MySQL Connector/J reports (checked against MariaDB 10.11), bare and wrapped
 * the way HikariCP and Flyway wrap them.
 */
class DatabaseMessagesTest {

    private static final DatabaseSettings APP = new DatabaseSettings(
            "jdbc:mysql://127.0.0.1:3306/salesync_ho?useSSL=false",
            "salesync_ho",
            "s3cr3t",
            4,
            "salesync_ho_owner",
            "0wn3r");

    private static SQLException accessDenied(String user, boolean password) {
        return new SQLException(
                "Access denied for user '" + user + "'@'127.0.0.1' (using password: " + (password ? "YES" : "NO") + ")",
                "28000",
                1045);
    }

    /** What HikariCP throws when no connection could be made within its timeout: the last failure is the cause. */
    private static SQLTransientConnectionException poolTimeout(SQLException cause) {
        return new SQLTransientConnectionException(
                "head-office - Connection is not available, request timed out after 5002ms"
                        + " (total=0, active=0, idle=0, waiting=0)",
                cause.getSQLState(),
                cause);
    }

    /** What Connector/J throws when the server does not answer: SQLState 08S01 with the socket's failure as the cause. */
    private static SQLException linkFailure(Exception socketFailure) {
        return new SQLRecoverableException(
                "Communications link failure\n\nThe last packet sent successfully to the server was"
                        + " 0 milliseconds ago. The driver has not received any packets from the server.",
                "08S01",
                0,
                new RuntimeException("Communications link failure", socketFailure));
    }

    @Test
    void aWrongPasswordNamesTheUserAndTheKeysToCheck() {
        assertThat(Databases.unreachableMessage(APP, accessDenied("salesync_ho", true)))
                .isEqualTo(
                        "MySQL at 127.0.0.1:3306 refused user salesync_ho (access denied): check salesync.db.user and salesync.db.password.");
    }

    @Test
    void aWrongPasswordIsNamedAsSuchThroughThePoolAndFlyway() {
        SQLException pool = poolTimeout(accessDenied("salesync_ho", true));

        assertThat(Databases.unreachableMessage(APP, pool))
                .startsWith("MySQL at 127.0.0.1:3306 refused user salesync_ho (access denied)");
        assertThat(Databases.unreachableMessage(
                        APP, new FlywayException("Unable to obtain connection from database", pool)))
                .startsWith("MySQL at 127.0.0.1:3306 refused user salesync_ho (access denied)");
    }

    @Test
    void anEmptyPasswordIsPointedOut() {
        assertThat(Databases.unreachableMessage(APP, poolTimeout(accessDenied("salesync_ho", false))))
                .isEqualTo("MySQL at 127.0.0.1:3306 refused user salesync_ho (access denied, no password given):"
                        + " check salesync.db.user and salesync.db.password.");
    }

    @Test
    void anUnknownDatabaseSaysTheSchemaDoesNotExistAndHowItIsMade() {
        SQLException unknown = new SQLSyntaxErrorException("Unknown database 'salesync_ho'", "42000", 1049);

        String sentence = Databases.unreachableMessage(APP, poolTimeout(unknown));

        assertThat(sentence)
                .startsWith(
                        "MySQL at 127.0.0.1:3306 has no database salesync_ho (unknown database): check salesync.db.url,"
                                + " or create it as root")
                .contains("scripts/setup-local-services.sh")
                .doesNotContain("Cannot reach");
        assertThat(Databases.unreachableMessage(APP, unknown)).isEqualTo(sentence);
    }

    @Test
    void aMissingTableRightNamesTheUserThatLacksIt() {
        SQLException denied = new SQLSyntaxErrorException(
                "SELECT command denied to user 'salesync_ho'@'127.0.0.1' for table `salesync_ho`.`sale`",
                "42000",
                1142);

        assertThat(Databases.unreachableMessage(APP, denied))
                .isEqualTo("MySQL at 127.0.0.1:3306 refused user salesync_ho"
                        + " (missing rights: SELECT command denied to user 'salesync_ho'@'127.0.0.1' for table `salesync_ho`.`sale`):"
                        + " as root, grant salesync_ho SELECT, INSERT, UPDATE, DELETE on salesync_ho.*.");
    }

    @Test
    void noRightOnTheDatabaseNamesTheUserAndThatTheDatabaseMayBeMissing() {
        SQLException denied = new SQLSyntaxErrorException(
                "Access denied for user 'salesync_ho'@'%' to database 'salesync_ho'", "42000", 1044);

        assertThat(Databases.unreachableMessage(APP, poolTimeout(denied)))
                .isEqualTo("MySQL at 127.0.0.1:3306 refused user salesync_ho"
                        + " (missing rights: Access denied for user 'salesync_ho'@'%' to database 'salesync_ho'):"
                        + " as root, grant salesync_ho SELECT, INSERT, UPDATE, DELETE on salesync_ho.*, after creating the database"
                        + " if it does not exist (check salesync.db.url).");
    }

    @Test
    void aMissingGlobalPrivilegeNamesTheUser() {
        SQLException denied = new SQLSyntaxErrorException(
                "Access denied; you need (at least one of) the SUPER, CONNECTION ADMIN privilege(s) for this operation",
                "42000",
                1227);

        assertThat(Databases.unreachableMessage(APP, denied))
                .startsWith("MySQL at 127.0.0.1:3306 refused user salesync_ho"
                        + " (missing rights: Access denied; you need (at least one of) the SUPER");
    }

    @Test
    void aRefusedConnectionAsksWhetherTheServerRuns() {
        assertThat(Databases.unreachableMessage(
                        APP, poolTimeout(linkFailure(new ConnectException("Connection refused")))))
                .isEqualTo(
                        "Cannot reach MySQL at 127.0.0.1:3306 (connection refused): is it running, and is salesync.db.url"
                                + " (jdbc:mysql://127.0.0.1:3306/salesync_ho) right?");
    }

    @Test
    void anUnknownHostATimeoutAndALostConnectionAreUnreachableToo() {
        assertThat(Databases.unreachableMessage(
                        APP, linkFailure(new UnknownHostException("db.example: Name or service not known"))))
                .startsWith("Cannot reach MySQL at 127.0.0.1:3306 (unknown host): is it running");
        assertThat(Databases.unreachableMessage(APP, linkFailure(new SocketTimeoutException("connect timed out"))))
                .startsWith("Cannot reach MySQL at 127.0.0.1:3306 (timed out): is it running");
        assertThat(Databases.unreachableMessage(
                        APP, linkFailure(new EOFException("Can not read response from server."))))
                .startsWith("Cannot reach MySQL at 127.0.0.1:3306 (connection lost): is it running");
        assertThat(Databases.unreachableMessage(
                        APP,
                        new SQLTransientConnectionException(
                                "head-office - Connection is not available, request timed out after 5002ms")))
                .startsWith("Cannot reach MySQL at 127.0.0.1:3306 (no connection within 5 s): is it running");
    }

    @Test
    void aMissingTableAndOtherStatementErrorsKeepTheirSentences() {
        assertThat(Databases.unreachableMessage(
                        APP, new SQLSyntaxErrorException("Table 'salesync_ho.sale' doesn't exist", "42S02", 1146)))
                .isEqualTo("The salesync tables do not exist yet in jdbc:mysql://127.0.0.1:3306/salesync_ho:"
                        + " start the application once so that it creates them.");
        assertThat(Databases.unreachableMessage(
                        APP, new SQLException("Data too long for column 'region' at row 1", "22001", 1406)))
                .isEqualTo(
                        "Database error at jdbc:mysql://127.0.0.1:3306/salesync_ho: Data too long for column 'region' at row 1");
    }

    @Test
    void whatCountsAsAConnectionProblemForRetryingIsUnchanged() {
        assertThat(Databases.isConnectionProblem(accessDenied("salesync_ho", true)))
                .isTrue();
        assertThat(Databases.isConnectionProblem(poolTimeout(accessDenied("salesync_ho", true))))
                .isTrue();
        assertThat(Databases.isConnectionProblem(linkFailure(new ConnectException("Connection refused"))))
                .isTrue();
        assertThat(Databases.isConnectionProblem(
                        new SQLNonTransientConnectionException("Too many connections", "08004", 1040)))
                .isTrue();
        assertThat(Databases.isConnectionProblem(
                        new SQLSyntaxErrorException("Unknown database 'salesync_ho'", "42000", 1049)))
                .isFalse();
        assertThat(Databases.isConnectionProblem(new SQLSyntaxErrorException("SELECT command denied", "42000", 1142)))
                .isFalse();
        assertThat(Databases.isConnectionProblem(new SQLException("Data too long", "22001", 1406)))
                .isFalse();
    }

    @Test
    void eachSentenceCarriesItsKindAndOnlyRefusalsAreConfigurationErrors() {
        java.util.Map<SQLException, DatabaseProblem.Kind> failures = new java.util.LinkedHashMap<>();
        failures.put(poolTimeout(accessDenied("salesync_ho", true)), DatabaseProblem.Kind.ACCESS_DENIED);
        failures.put(
                new SQLSyntaxErrorException("Unknown database 'salesync_ho'", "42000", 1049),
                DatabaseProblem.Kind.UNKNOWN_DATABASE);
        failures.put(
                new SQLSyntaxErrorException("INSERT command denied", "42000", 1142),
                DatabaseProblem.Kind.MISSING_RIGHTS);
        failures.put(linkFailure(new ConnectException("Connection refused")), DatabaseProblem.Kind.UNREACHABLE);
        failures.put(
                new SQLSyntaxErrorException("Table 'salesync_ho.sale' doesn't exist", "42S02", 1146),
                DatabaseProblem.Kind.MISSING_TABLES);
        failures.put(new SQLException("Data too long", "22001", 1406), DatabaseProblem.Kind.OTHER);

        failures.forEach((failure, kind) -> {
            DatabaseProblem problem = Databases.problem(APP, failure);
            assertThat(problem.kind()).as(problem.sentence()).isEqualTo(kind);
            assertThat(DatabaseProblem.Kind.of("Could not save a sale: " + problem.sentence() + " Nothing was saved."))
                    .as(problem.sentence())
                    .isEqualTo(kind);
            assertThat(new StorageException(problem.sentence(), failure).kind()).isEqualTo(kind);
        });
        assertThat(java.util.Arrays.stream(DatabaseProblem.Kind.values()).filter(DatabaseProblem.Kind::configuration))
                .containsExactlyInAnyOrder(
                        DatabaseProblem.Kind.ACCESS_DENIED,
                        DatabaseProblem.Kind.UNKNOWN_DATABASE,
                        DatabaseProblem.Kind.MISSING_RIGHTS);
    }
}
