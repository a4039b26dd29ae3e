package io.salesync.common.amqp;

import io.salesync.common.config.ConfigException;
import io.salesync.common.config.ConfigSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How to reach RabbitMQ and which names to use there.
 *
 * @param uri      {@code amqp://host:port/vhost} (or {@code amqps://}); credentials are separate; with
 *                 {@code nodes}, only its scheme and vhost are used
 * @param user     this application's broker user; it is also the {@code user_id} of every message
 * @param password its password; never logged
 * @param prefix   prefix of every exchange and queue name, {@code salesync} unless isolated for tests
 * @param tlsCaFile for {@code amqps://}: a PEM file with the certificate authorities to trust, or
 *                  null to trust the JVM's default authorities; the host name is always verified
 * @param nodes     the nodes of a RabbitMQ cluster to connect to, any of them, instead of the URI's
 *                  host and port; empty for the URI's one broker
 */
public record BrokerSettings(URI uri, String user, String password, String prefix, Path tlsCaFile, List<Node> nodes) {

    public static final String URI_KEY = "salesync.broker.uri";
    public static final String USER = "salesync.broker.user";
    public static final String PASSWORD = "salesync.broker.password";
    public static final String PREFIX = "salesync.broker.prefix";
    public static final String TLS_CA_FILE = "salesync.broker.tls.ca-file";
    /** A cluster's nodes, {@code host:port,host:port,...}; the URI then gives only the scheme and the vhost. */
    public static final String ADDRESSES = "salesync.broker.addresses";

    /** {@code host:port}, {@code [v6 address]:port}; the host part checked further by {@link #HOST}. */
    private static final Pattern HOST_AND_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]]+):([0-9]{1,5})");
    /** A DNS name or an IPv4 address: letters, digits, '-', '_' and '.', not starting or ending with '.'. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    public BrokerSettings {
        nodes = List.copyOf(nodes);
    }

    public BrokerSettings(URI uri, String user, String password, String prefix) {
        this(uri, user, password, prefix, null, List.of());
    }

    public BrokerSettings(URI uri, String user, String password, String prefix, Path tlsCaFile) {
        this(uri, user, password, prefix, tlsCaFile, List.of());
    }

    /**
     * One node of a cluster.
     *
     * @param host a DNS name, an IPv4 address or an IPv6 address (without brackets); with TLS, the
     *             name the node's certificate must carry
     */
    public record Node(String host, int port) {

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
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
            throw config.invalid(
                    TLS_CA_FILE, "is set but " + URI_KEY + " is not amqps://: the connection would not use TLS");
        }
        return new BrokerSettings(uri, config.string(USER), config.secret(PASSWORD), prefix, caFile, nodes(config));
    }

    /** The nodes of {@link #ADDRESSES}, in the order given; empty when the key is not set. */
    private static List<Node> nodes(ConfigSource config) {
        String value = config.optional(ADDRESSES).orElse(null);
        if (value == null) {
            return List.of();
        }
        List<Node> nodes = new ArrayList<>();
        for (String raw : value.split(",", -1)) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                throw config.invalid(ADDRESSES, "has an empty entry; list the nodes as host:port,host:port");
            }
            Node node = node(entry);
            if (node == null) {
                throw config.invalid(
                        ADDRESSES,
                        "'" + entry + "' is not host:port (a host name or IP address, a port from 1"
                                + " to 65535; an IPv6 address in brackets, [::1]:5672)");
            }
            if (nodes.contains(node)) {
                throw config.invalid(ADDRESSES, "lists '" + entry + "' twice");
            }
            nodes.add(node);
        }
        return nodes;
    }

    private static Node node(String entry) {
        Matcher matcher = HOST_AND_PORT.matcher(entry);
        if (!matcher.matches()) {
            return null;
        }
        String host = matcher.group(1);
        int port = Integer.parseInt(matcher.group(2));
        if (port < 1 || port > 65_535) {
            return null;
        }
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
            return host.indexOf(':') >= 0 ? new Node(host, port) : null;
        }
        return HOST.matcher(host).matches() ? new Node(host, port) : null;
    }

    /** Whether the connection goes to any node of a list rather than to the URI's host. */
    public boolean clustered() {
        return !nodes.isEmpty();
    }

    /** The vhost named by the URI path as the AMQP URI spec reads it: {@code /%2F} is "/", no path is "/". */
    public String virtualHost() {
        String path = uri.getRawPath();
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
    }

    /**
     * Where the broker is, for messages: {@code host:port} from the URI, or the list of nodes
     * ({@code rabbit-1:5672,rabbit-2:5672,rabbit-3:5672}).
     */
    public String hostAndPort() {
        if (clustered()) {
            return nodes.stream().map(Node::toString).collect(Collectors.joining(","));
        }
        int port = uri.getPort() > 0 ? uri.getPort() : (tls() ? 5671 : 5672);
        return uri.getHost() + ":" + port;
    }

    @Override
    public String toString() {
        return "BrokerSettings[uri=" + uri + (clustered() ? ", addresses=" + hostAndPort() : "") + ", user=" + user
                + ", password=********, prefix=" + prefix + (tlsCaFile == null ? "" : ", tlsCaFile=" + tlsCaFile) + "]";
    }
}
