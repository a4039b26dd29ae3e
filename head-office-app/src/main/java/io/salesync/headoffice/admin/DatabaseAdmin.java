package io.salesync.headoffice.admin;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The MySQL side of provisioning, as an administrator: a branch's schema and its two users, as
 * {@code sql/init} makes them for bo1 and bo2 (the row-only user with SELECT, INSERT, UPDATE, DELETE on
 * the schema; the owner with ALL PRIVILEGES on it; nothing beyond it).
 *
 * <p>Questions are prepared statements with bound values. Statements that cannot be prepared with
 * parameters (CREATE/DROP DATABASE and USER, GRANT) take only names that passed the branch id rule
 * ({@link BranchNames}: {@code [a-z0-9_-]} only, checked again when the names are made) and passwords
 * that {@link Passwords#literalSafe} accepts (no quote, backslash, space or control character), so no
 * value can end a literal or an identifier whatever the server's SQL mode.
 */
public final class DatabaseAdmin implements AutoCloseable {

    private final Connection connection;

    private DatabaseAdmin(Connection connection) {
        this.connection = connection;
    }

    /** Connects to the server of {@code serverUrl} (a JDBC URL naming no schema). */
    public static DatabaseAdmin connect(String serverUrl, String user, String password) throws SQLException {
        return new DatabaseAdmin(DriverManager.getConnection(serverUrl, user, password));
    }

    public boolean schemaExists(String schema) throws SQLException {
        return count("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", schema) > 0;
    }

    public boolean userExists(String user) throws SQLException {
        return count("SELECT COUNT(*) FROM mysql.user WHERE User = ? AND Host = '%'", user) > 0;
    }

    /** Creates the schema; false when it exists already. */
    public boolean createSchema(BranchNames names) throws SQLException {
        if (schemaExists(names.schema())) {
            return false;
        }
        execute("CREATE DATABASE IF NOT EXISTS " + names.quotedSchema()
                + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        return true;
    }

    /** Creates the row-only user; false (and nothing changed) when it exists. */
    public boolean createAppUser(BranchNames names, String password) throws SQLException {
        return createUser(names.appUser(), password, "SELECT, INSERT, UPDATE, DELETE", names);
    }

    /** Creates the owner, which applies the migrations; false (and nothing changed) when it exists. */
    public boolean createOwner(BranchNames names, String password) throws SQLException {
        return createUser(names.ownerUser(), password, "ALL PRIVILEGES", names);
    }

    private boolean createUser(String user, String password, String privileges, BranchNames names) throws SQLException {
        if (userExists(user)) {
            return false;
        }
        if (!Passwords.literalSafe(password)) {
            throw new IllegalArgumentException("the password for MySQL user " + user
                    + " is empty or holds a quote, backslash, space or control character, which add-branch does not write"
                    + " into SQL; choose another or create the user by hand");
        }
        execute("CREATE USER IF NOT EXISTS " + BranchNames.account(user) + " IDENTIFIED BY '" + password + "'");
        execute("GRANT " + privileges + " ON " + names.grantTarget() + " TO " + BranchNames.account(user));
        return true;
    }

    /** Drops a user; false when there was none. Its open sessions end when they disconnect. */
    public boolean dropUser(String user) throws SQLException {
        if (!userExists(user)) {
            return false;
        }
        execute("DROP USER IF EXISTS " + BranchNames.account(user));
        return true;
    }

    /** Drops the schema and every row in it; false when there was none. */
    public boolean dropSchema(BranchNames names) throws SQLException {
        if (!schemaExists(names.schema())) {
            return false;
        }
        execute("DROP DATABASE IF EXISTS " + names.quotedSchema());
        return true;
    }

    private long count(String sql, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, value);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
