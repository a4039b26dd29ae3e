package io.salesync.common.db;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Predicate;

/**
 * Reads a failure from the MySQL driver (as the pool and Flyway wrap it) and says what it means:
 * its {@link DatabaseProblem.Kind} from the server's error codes and SQLStates, and a sentence
 * naming the server, the user and the configuration keys or rights to check.
 */
final class DatabaseFailures {

    /** What the application's own user needs on its schema (it never alters the tables). */
    static final String APPLICATION_RIGHTS = "SELECT, INSERT, UPDATE, DELETE";
    /** What the user that applies the migrations needs on the schema. */
    static final String MIGRATION_RIGHTS = "ALL PRIVILEGES";

    // MySQL server error codes (MariaDB uses the same)
    private static final int ER_DBACCESS_DENIED_ERROR = 1044;
    private static final int ER_ACCESS_DENIED_ERROR = 1045;
    private static final int ER_BAD_DB_ERROR = 1049;
    private static final int ER_TABLEACCESS_DENIED_ERROR = 1142;
    private static final int ER_COLUMNACCESS_DENIED_ERROR = 1143;
    private static final int ER_SPECIFIC_ACCESS_DENIED_ERROR = 1227;
    private static final int ER_ACCESS_DENIED_NO_PASSWORD_ERROR = 1698;

    private DatabaseFailures() {}

    /**
     * @param userKey     the configuration key naming the user that was refused
     * @param passwordKey the key of its password
     * @param rights      what that user needs on its schema
     */
    static DatabaseProblem problem(
            DatabaseSettings settings, Throwable error, String userKey, String passwordKey, String rights) {
        String server = "MySQL at " + settings.hostAndPort();
        String user = settings.user();
        DatabaseProblem.Kind kind = kind(error);
        String sentence = switch (kind) {
            case ACCESS_DENIED ->
                server + " refused user " + user + " (access denied"
                        + (serverMessage(error, DatabaseFailures::isAccessDenied)
                                        .contains("using password: NO")
                                ? ", no password given"
                                : "")
                        + "): check " + userKey + " and " + passwordKey + ".";
            case UNKNOWN_DATABASE ->
                server + " has no database " + schemaName(settings, error) + " (unknown database): check "
                        + DatabaseSettings.URL
                        + ", or create it as root with its users, as scripts/setup-local-services.sh does"
                        + " (docs/operations.md, \"Adding a branch\"); the application then creates its tables.";
            case MISSING_RIGHTS ->
                server + " refused user " + user + " (missing rights: "
                        + serverMessage(error, DatabaseFailures::isMissingRight) + "): "
                        + grant(settings, error, rights) + ".";
            case UNREACHABLE ->
                "Cannot reach " + server + unreachableDetail(error) + ": is it running, and is " + DatabaseSettings.URL
                        + " (" + settings.displayUrl() + ") right?";
            case MISSING_TABLES ->
                "The salesync tables do not exist yet in " + settings.displayUrl()
                        + ": start the application once so that it creates them.";
            case OTHER -> "Database error at " + settings.displayUrl() + ": " + Databases.rootMessage(error);
        };
        return new DatabaseProblem(kind, sentence);
    }

    /**
     * The kind, from the MySQL error codes and SQLStates anywhere in the causes: a refused login or
     * a missing right is named as such even when it arrives as a pool timeout.
     */
    static DatabaseProblem.Kind kind(Throwable error) {
        if (find(error, DatabaseFailures::isAccessDenied) != null) {
            return DatabaseProblem.Kind.ACCESS_DENIED;
        }
        if (find(error, sql -> sql.getErrorCode() == ER_BAD_DB_ERROR) != null) {
            return DatabaseProblem.Kind.UNKNOWN_DATABASE;
        }
        if (find(error, DatabaseFailures::isMissingRight) != null) {
            return DatabaseProblem.Kind.MISSING_RIGHTS;
        }
        if (isConnectionProblem(error)) {
            return DatabaseProblem.Kind.UNREACHABLE;
        }
        if (find(error, sql -> "42S02".equals(sql.getSQLState())) != null) {
            return DatabaseProblem.Kind.MISSING_TABLES;
        }
        return DatabaseProblem.Kind.OTHER;
    }

    /** About reaching or logging in to the server (SQLState class 08 or 28), not about a statement. */
    static boolean isConnectionProblem(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof ConnectException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("28000"))) {
                return true;
            }
        }
        return false;
    }

    /** What to grant, as root, for a missing right. */
    private static String grant(DatabaseSettings settings, Throwable error, String rights) {
        int code = find(error, DatabaseFailures::isMissingRight).getErrorCode();
        if (code == ER_SPECIFIC_ACCESS_DENIED_ERROR) {
            return "as root, grant " + settings.user() + " the privilege named";
        }
        String grant = "as root, grant " + settings.user() + " " + rights + " on " + schemaName(settings, error) + ".*";
        // MySQL answers 1044 rather than 1049 to a user without rights when the database does not exist
        return code == ER_DBACCESS_DENIED_ERROR
                ? grant + ", after creating the database if it does not exist (check " + DatabaseSettings.URL + ")"
                : grant;
    }

    /** ER_ACCESS_DENIED_ERROR and its variants: the user name or password was refused. */
    private static boolean isAccessDenied(SQLException sql) {
        return sql.getErrorCode() == ER_ACCESS_DENIED_ERROR
                || sql.getErrorCode() == ER_ACCESS_DENIED_NO_PASSWORD_ERROR
                || "28000".equals(sql.getSQLState());
    }

    /** Logged in, but refused the database, a table or column, or a global privilege. */
    private static boolean isMissingRight(SQLException sql) {
        int code = sql.getErrorCode();
        return code == ER_DBACCESS_DENIED_ERROR
                || code == ER_TABLEACCESS_DENIED_ERROR
                || code == ER_COLUMNACCESS_DENIED_ERROR
                || code == ER_SPECIFIC_ACCESS_DENIED_ERROR;
    }

    /** The innermost SQLException in the causes that matches (the driver's, not a wrapper's), or null. */
    private static SQLException find(Throwable error, Predicate<SQLException> test) {
        SQLException found = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && test.test(sql)) {
                found = sql;
            }
        }
        return found;
    }

    /** The server's own words for the matching failure, or empty. */
    private static String serverMessage(Throwable error, Predicate<SQLException> test) {
        SQLException sql = find(error, test);
        return sql == null || sql.getMessage() == null ? "" : sql.getMessage();
    }

    /** The schema named in the URL, or else the one the server's "Unknown database 'x'" names. */
    private static String schemaName(DatabaseSettings settings, Throwable error) {
        if (!settings.schema().isEmpty()) {
            return settings.schema();
        }
        String message = serverMessage(error, sql -> sql.getErrorCode() == ER_BAD_DB_ERROR);
        int open = message.indexOf('\'');
        int close = open < 0 ? -1 : message.indexOf('\'', open + 1);
        return close > open ? message.substring(open + 1, close) : "(none in the URL)";
    }

    /** Why the server could not be reached, in a few words in brackets, from the socket's failure; empty when unknown. */
    private static String unreachableDetail(Throwable error) {
        IOException socket = null;
        for (Throwable t = error; t != null && socket == null; t = t.getCause()) {
            if (t instanceof IOException io) {
                socket = io;
            }
        }
        if (socket instanceof UnknownHostException) {
            return " (unknown host)";
        }
        if (socket instanceof NoRouteToHostException) {
            return " (no route to host)";
        }
        if (socket instanceof SocketTimeoutException
                || socket instanceof ConnectException
                        && String.valueOf(socket.getMessage()).contains("timed out")) {
            return " (timed out)";
        }
        if (socket instanceof ConnectException) {
            return " (connection refused)";
        }
        if (socket instanceof EOFException || socket instanceof SocketException) {
            return " (connection lost)";
        }
        if (socket == null && error instanceof SQLTransientConnectionException && error.getCause() == null) {
            return " (no connection within " + Databases.CONNECTION_TIMEOUT_MS / 1000 + " s)";
        }
        return "";
    }
}
