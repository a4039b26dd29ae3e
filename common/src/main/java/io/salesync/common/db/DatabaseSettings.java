package io.salesync.common.db;

import io.salesync.common.config.ConfigSource;

/**
 * How to reach one MySQL schema.
 *
 * @param url               JDBC URL, for example {@code jdbc:mysql://127.0.0.1:3306/salesync_bo1}
 * @param user              the application's MySQL user: reads and writes rows of this schema only
 * @param password          its password; never logged
 * @param poolSize          the most connections the pool opens
 * @param migrationUser     the user that applies the schema migrations at start-up (may alter the
 *                          schema); the application's own connections never use it
 * @param migrationPassword its password; never logged
 */
public record DatabaseSettings(
        String url, String user, String password, int poolSize, String migrationUser, String migrationPassword) {

    public static final String URL = "salesync.db.url";
    public static final String USER = "salesync.db.user";
    public static final String PASSWORD = "salesync.db.password";
    public static final String POOL_SIZE = "salesync.db.pool-size";
    public static final String MIGRATION_USER = "salesync.db.migration-user";
    public static final String MIGRATION_PASSWORD = "salesync.db.migration-password";

    /** Settings where the application's user also applies the migrations. */
    public DatabaseSettings(String url, String user, String password, int poolSize) {
        this(url, user, password, poolSize, user, password);
    }

    /** True when migrations run as a user of their own. */
    public boolean separateMigrationUser() {
        return !migrationUser.equals(user);
    }

    /** The same schema reached as the migration user. */
    public DatabaseSettings asMigrationUser() {
        return new DatabaseSettings(url, migrationUser, migrationPassword, 1);
    }

    public static DatabaseSettings from(ConfigSource config) {
        String url = config.string(URL);
        if (!url.startsWith("jdbc:mysql:")) {
            throw config.invalid(URL, "must be a MySQL JDBC URL such as jdbc:mysql://127.0.0.1:3306/salesync_bo1");
        }
        String user = config.string(USER);
        String password = config.secret(PASSWORD);
        String migrationUser = config.optional(MIGRATION_USER).orElse(user);
        String migrationPassword =
                config.optional(MIGRATION_USER).isPresent() ? config.secret(MIGRATION_PASSWORD) : password;
        return new DatabaseSettings(
                url, user, password, config.integer(POOL_SIZE, 1, 64), migrationUser, migrationPassword);
    }

    /** The URL without its query string, for messages to people. */
    public String displayUrl() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /** The schema named in the URL ({@code salesync_bo1}), empty when it names none. */
    public String schema() {
        String rest = url.substring(url.indexOf("//") + 2);
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return "";
        }
        String path = rest.substring(slash + 1);
        int end = path.indexOf('?');
        return end < 0 ? path : path.substring(0, end);
    }

    /** The host and port part of the URL, for "is it running?" messages. */
    public String hostAndPort() {
        String rest = url.substring(url.indexOf("//") + 2);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", password=********, poolSize=" + poolSize
                + ", migrationUser=" + migrationUser + ", migrationPassword=********]";
    }
}
