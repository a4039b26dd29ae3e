package io.salesync.common.amqp;

import io.salesync.common.config.ConfigException;
import io.salesync.common.config.ConfigSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How to reach RabbitMQ and which names to use there.
 *
 * @param uri      {@code amqp://host:port/vhost} (or {@code amqps://}); credentials are separate
 * @param user     this application's broker user; it is also the {@code user_id} of every message
 * @param password its password; never logged
 * @param prefix   prefix of every exchange and queue name, {@code salesync} unless isolated for tests
 * @param tlsCaFile for {@code amqps://}: a PEM file with the certificate authorities to trust, or
 *                  null to trust the JVM's default authorities; the host name is always verified
 */
public record BrokerSettings(URI uri, String user, String password, String prefix, Path tlsCaFile) {

    public static final String URI_KEY = "salesync.broker.uri";
    public static final String USER = "salesync.broker.user";
    public static final String PASSWORD = "salesync.broker.password";
    public static final String PREFIX = "salesync.broker.prefix";
    public static final String TLS_CA_FILE = "salesync.broker.tls.ca-file";

    public BrokerSettings(URI uri, String user, String password, String prefix) {
        this(uri, user, password, prefix, null);
    }

    public boolean tls() {
        return "amqps".equalsIgnoreCase(uri.getScheme());
    }

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
        Path caFile = config.optional(TLS_CA_FILE).map(Path::of).orElse(null);
        if (caFile != null && !Files.isReadable(caFile)) {
            throw config.invalid(TLS_CA_FILE, "is not a readable file");
        }
        if (caFile != null && !"amqps".equalsIgnoreCase(uri.getScheme())) {
            throw config.invalid(TLS_CA_FILE, "is set but " + URI_KEY + " is not amqps://: the connection would not use TLS");
        }
        return new BrokerSettings(uri, config.string(USER), config.secret(PASSWORD), prefix, caFile);
    }

    /** The vhost named by the URI path as the AMQP URI spec reads it: {@code /%2F} is "/", no path is "/". */
    public String virtualHost() {
        String path = uri.getRawPath();
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
    }

    public String hostAndPort() {
        int port = uri.getPort() > 0 ? uri.getPort() : ("amqps".equalsIgnoreCase(uri.getScheme()) ? 5671 : 5672);
        return uri.getHost() + ":" + port;
    }

    @Override
    public String toString() {
        return "BrokerSettings[uri=" + uri + ", user=" + user + ", password=********, prefix=" + prefix
                + (tlsCaFile == null ? "" : ", tlsCaFile=" + tlsCaFile) + "]";
    }
}
