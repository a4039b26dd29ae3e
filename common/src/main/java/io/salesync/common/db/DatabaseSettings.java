package io.salesync.common.db;

import io.salesync.common.config.ConfigSource;

/**
 * How to reach one MySQL schema.
 *
 * @param url      JDBC URL, for example {@code jdbc:mysql://127.0.0.1:3306/salesync_bo1}
 * @param user     the application's MySQL user, limited to this schema
 * @param password its password; never logged
 * @param poolSize the most connections the pool opens
 */
public record DatabaseSettings(String url, String user, String password, int poolSize) {

    public static final String URL = "salesync.db.url";
    public static final String USER = "salesync.db.user";
    public static final String PASSWORD = "salesync.db.password";
    public static final String POOL_SIZE = "salesync.db.pool-size";

    public static DatabaseSettings from(ConfigSource config) {
        String url = config.string(URL);
        if (!url.startsWith("jdbc:mysql:")) {
            throw config.invalid(URL, "must be a MySQL JDBC URL such as jdbc:mysql://127.0.0.1:3306/salesync_bo1");
        }
        return new DatabaseSettings(url, config.string(USER), config.secret(PASSWORD), config.integer(POOL_SIZE, 1, 64));
    }

    /** The URL without its query string, for messages to people. */
    public String displayUrl() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /** The host and port part of the URL, for "is it running?" messages. */
    public String hostAndPort() {
        String rest = url.substring(url.indexOf("//") + 2);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", password=********, poolSize=" + poolSize + "]";
    }
}
