package io.salesync.common.amqp;

import io.salesync.common.config.ConfigException;
import io.salesync.common.config.ConfigSource;
import java.net.URI;

/**
 * How to reach RabbitMQ and which names to use there.
 *
 * @param uri      {@code amqp://host:port/vhost} (or {@code amqps://}); credentials are separate
 * @param user     this application's broker user; it is also the {@code user_id} of every message
 * @param password its password; never logged
 * @param prefix   prefix of every exchange and queue name, {@code salesync} unless isolated for tests
 */
public record BrokerSettings(URI uri, String user, String password, String prefix) {

    public static final String URI_KEY = "salesync.broker.uri";
    public static final String USER = "salesync.broker.user";
    public static final String PASSWORD = "salesync.broker.password";
    public static final String PREFIX = "salesync.broker.prefix";

    public static BrokerSettings from(ConfigSource config) {
        URI uri = config.uri(URI_KEY, "amqp", "amqps");
        if (uri.getUserInfo() != null) {
            // The value is not repeated: it holds a password.
            throw new ConfigException("invalid configuration value " + URI_KEY + ": must not contain credentials; use "
                    + USER + " and " + PASSWORD);
        }
        String prefix = config.string(PREFIX);
        if (!prefix.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw config.invalid(PREFIX, "may hold only letters, digits, '.', '_' and '-'");
        }
        return new BrokerSettings(uri, config.string(USER), config.secret(PASSWORD), prefix);
    }

    /** The vhost named by the URI path as the AMQP URI spec reads it: {@code /%2F} is "/", no path is "/". */
    public String virtualHost() {
        String path = uri.getRawPath();
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return java.net.URLDecoder.decode(path.substring(1), java.nio.charset.StandardCharsets.UTF_8);
    }

    public String hostAndPort() {
        int port = uri.getPort() > 0 ? uri.getPort() : ("amqps".equalsIgnoreCase(uri.getScheme()) ? 5671 : 5672);
        return uri.getHost() + ":" + port;
    }

    @Override
    public String toString() {
        return "BrokerSettings[uri=" + uri + ", user=" + user + ", password=********, prefix=" + prefix + "]";
    }
}
