package io.salesync.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * Creates RabbitMQ users with narrow permissions for a test, through the management HTTP API, and
 * deletes them afterwards; lists and force-closes those users' connections (fault tests). The management API is at {@code SALESYNC_TEST_AMQP_MANAGEMENT_URI}, or
 * port 15672 of the test broker's host; the test broker user must be an administrator.
 */
public final class BrokerUsers implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestServices.Amqp amqp;
    private final URI management;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<String> created = new ArrayList<>();

    public BrokerUsers(TestServices.Amqp amqp) {
        this.amqp = amqp;
        String configured = System.getenv("SALESYNC_TEST_AMQP_MANAGEMENT_URI");
        this.management = URI.create(
                configured != null ? configured : "http://" + amqp.uri().getHost() + ":15672");
    }

    /** The vhost of the test broker, as the management API names it. */
    public String vhost() {
        String path = amqp.uri().getRawPath();
        return path == null || path.length() <= 1
                ? "/"
                : java.net.URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
    }

    /** Creates a user with a password and no tags; deleted on close. */
    public void create(String user, String password) {
        put("/api/users/" + encode(user), "{\"password\":\"" + password + "\",\"tags\":\"\"}");
        created.add(user);
    }

    /** Sets the configure, write and read regular expressions of a user on the test vhost. */
    public void permit(String user, String configure, String write, String read) {
        put(
                "/api/permissions/" + encode(vhost()) + "/" + encode(user),
                "{\"configure\":" + json(configure) + ",\"write\":" + json(write) + ",\"read\":" + json(read) + "}");
    }

    /** Sets a user's topic permissions (routing-key patterns) on one exchange of the test vhost. */
    public void permitTopic(String user, String exchange, String write, String read) {
        put(
                "/api/topic-permissions/" + encode(vhost()) + "/" + encode(user),
                "{\"exchange\":" + json(exchange) + ",\"write\":" + json(write) + ",\"read\":" + json(read) + "}");
    }

    /**
     * Gives a user a whole grant, usually one the deployment ships ({@link ShippedPermissions}):
     * its configure, write and read patterns and its topic permission.
     */
    public void permit(String user, ShippedPermissions.Grant grant) {
        permit(user, grant.configure(), grant.write(), grant.read());
        permitTopic(user, grant.topicExchange(), grant.topicWrite(), grant.topicRead());
    }

    /**
     * The names of the open connections of the given users (on any vhost), as the management API
     * lists them; a connection opened a moment ago may not be listed yet.
     */
    public List<String> connectionsOf(Collection<String> users) {
        JsonNode connections = get("/api/connections?columns=name,user");
        List<String> names = new ArrayList<>();
        for (JsonNode connection : connections) {
            if (users.contains(connection.path("user").asText())) {
                names.add(connection.path("name").asText());
            }
        }
        return names;
    }

    /**
     * Closes a connection from the broker's side, as an operator's "force close" does; the client
     * sees CONNECTION_FORCED with the reason. Returns false when it was already gone.
     */
    public boolean closeConnection(String name, String reason) {
        HttpResponse<String> response =
                exchange(HttpRequest.newBuilder(management.resolve("/api/connections/" + encode(name)))
                        .header("x-reason", reason)
                        .DELETE());
        if (response.statusCode() == 404) {
            return false;
        }
        check(response);
        return true;
    }

    /** The names of the queues of the test vhost that start with {@code prefix}. */
    public List<String> queuesStartingWith(String prefix) {
        List<String> names = new ArrayList<>();
        for (JsonNode queue : get("/api/queues/" + encode(vhost()) + "?columns=name")) {
            String name = queue.path("name").asText();
            if (name.startsWith(prefix)) {
                names.add(name);
            }
        }
        return names;
    }

    @Override
    public void close() {
        for (String user : created) {
            try {
                send(HttpRequest.newBuilder(management.resolve("/api/users/" + encode(user)))
                        .DELETE());
            } catch (RuntimeException e) {
                // best effort
            }
        }
    }

    private void put(String path, String body) {
        send(HttpRequest.newBuilder(management.resolve(path))
                .header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode get(String path) {
        HttpResponse<String> response =
                check(exchange(HttpRequest.newBuilder(management.resolve(path)).GET()));
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "RabbitMQ management API " + path + " answered something that is not JSON", e);
        }
    }

    private void send(HttpRequest.Builder request) {
        check(exchange(request));
    }

    private static HttpResponse<String> check(HttpResponse<String> response) {
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("RabbitMQ management API "
                    + response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        String credentials = Base64.getEncoder()
                .encodeToString((amqp.user() + ":" + amqp.password()).getBytes(StandardCharsets.UTF_8));
        try {
            return http.send(
                    request.header("authorization", "Basic " + credentials)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "RabbitMQ management API at " + management + " does not answer (is the"
                            + " rabbitmq_management plugin enabled?): " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String json(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
