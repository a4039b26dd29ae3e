package io.salesync.headoffice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesync.common.amqp.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The RabbitMQ side of provisioning, through the management HTTP API as an administrator: a
 * branch's user and exactly the permissions {@code rabbitmq/definitions.json} gives bo1 and bo2 —
 * configure nothing, write only to the sales exchange, read only its own control queue, and publish
 * on the sales exchange only with its own routing key.
 */
public final class BrokerAdmin {

    /** A user's permissions on a vhost and its topic permission on the sales exchange. */
    public record Grant(
            String configure, String write, String read, String topicExchange, String topicWrite, String topicRead) {

        /** What a branch may do, for the names made from {@code prefix}. */
        public static Grant forBranch(String prefix, String branchId) {
            Topology topology = new Topology(prefix);
            return new Grant(
                    "^$",
                    "^" + escape(topology.salesExchange()) + "$",
                    "^" + escape(topology.controlQueue(branchId)) + "$",
                    topology.salesExchange(),
                    "^" + escape(Topology.routingKey(branchId)) + "$",
                    "^$");
        }
    }

    /** Failure of the management API, with what it answered. */
    public static final class BrokerAdminException extends RuntimeException {
        BrokerAdminException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI management;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public BrokerAdmin(URI management, String user, String password) {
        this.management = management;
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Checks that the API answers and accepts the credentials, before anything is changed. */
    public void check() {
        send("GET", "/api/whoami", null, false);
    }

    public boolean userExists(String user) {
        return send("GET", "/api/users/" + encode(user), null, true) != null;
    }

    /** Creates a user without tags; false (and its password kept) when it exists. */
    public boolean createUser(String user, String password) {
        if (userExists(user)) {
            return false;
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("no password for the new RabbitMQ user " + user);
        }
        ObjectNode body = JSON.createObjectNode().put("password", password).put("tags", "");
        send("PUT", "/api/users/" + encode(user), body, false);
        return true;
    }

    /** Gives the user exactly {@code grant} on {@code vhost}; false when it had exactly that already. */
    public boolean permit(String vhost, String user, Grant grant) {
        boolean changed = false;
        String path = "/api/permissions/" + encode(vhost) + "/" + encode(user);
        JsonNode current = send("GET", path, null, true);
        if (current == null
                || !grant.configure().equals(current.path("configure").asText())
                || !grant.write().equals(current.path("write").asText())
                || !grant.read().equals(current.path("read").asText())) {
            ObjectNode body = JSON.createObjectNode()
                    .put("configure", grant.configure())
                    .put("write", grant.write())
                    .put("read", grant.read());
            send("PUT", path, body, false);
            changed = true;
        }
        String topicPath = "/api/topic-permissions/" + encode(vhost) + "/" + encode(user);
        JsonNode topics = send("GET", topicPath, null, true);
        boolean topicAsGranted = false;
        if (topics != null) {
            for (JsonNode topic : topics) {
                topicAsGranted |=
                        grant.topicExchange().equals(topic.path("exchange").asText())
                                && grant.topicWrite().equals(topic.path("write").asText())
                                && grant.topicRead().equals(topic.path("read").asText());
            }
        }
        if (!topicAsGranted) {
            ObjectNode body = JSON.createObjectNode()
                    .put("exchange", grant.topicExchange())
                    .put("write", grant.topicWrite())
                    .put("read", grant.topicRead());
            send("PUT", topicPath, body, false);
            changed = true;
        }
        return changed;
    }

    /**
     * Deletes a user (its permissions go with it) and closes its open connections, so that it can
     * neither log in nor publish on a connection it already had; false when there was no such user.
     */
    public boolean deleteUser(String user) {
        boolean existed = userExists(user);
        if (existed) {
            send("DELETE", "/api/users/" + encode(user), null, true);
        }
        JsonNode connections = send("GET", "/api/connections?columns=name,user", null, false);
        for (JsonNode connection : connections) {
            if (user.equals(connection.path("user").asText())) {
                send(
                        "DELETE",
                        "/api/connections/" + encode(connection.path("name").asText()),
                        null,
                        true);
            }
        }
        return existed;
    }

    /** A request; the JSON answer, or null for a 404 when {@code notFoundIsNull}. */
    private JsonNode send(String method, String path, JsonNode body, boolean notFoundIsNull) {
        HttpRequest.Builder request = HttpRequest.newBuilder(management.resolve(path))
                .header("authorization", authorization)
                .header("x-reason", "salesync branch administration")
                .timeout(Duration.ofSeconds(10));
        if (body != null) {
            request.header("content-type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BrokerAdminException(
                    "the RabbitMQ management API at " + management + " does not answer (" + e.getMessage()
                            + "); is the rabbitmq_management plugin enabled? Set "
                            + AdminSettings.MANAGEMENT_URL + " when it is elsewhere",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerAdminException("interrupted while calling the RabbitMQ management API", e);
        }
        int status = response.statusCode();
        if (status == 404 && notFoundIsNull) {
            return null;
        }
        if (status == 401) {
            throw new BrokerAdminException(
                    "the RabbitMQ management API at " + management + " refused the administrator's credentials;"
                            + " set " + AdminSettings.BROKER_USER + " and " + AdminSettings.BROKER_PASSWORD,
                    null);
        }
        if (status >= 300) {
            throw new BrokerAdminException(
                    "the RabbitMQ management API answered " + status + " to " + method + " " + path + ": "
                            + response.body(),
                    null);
        }
        try {
            String text = response.body();
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new BrokerAdminException(
                    "the RabbitMQ management API answered " + path + " with something that is not JSON", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A name as a regular expression matching exactly it (only metacharacters escaped). */
    static String escape(String name) {
        return name.replaceAll("([\\\\.^$|?*+()\\[\\]{}])", "\\\\$1");
    }
}
