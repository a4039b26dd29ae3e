package io.salesync.it.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.salesync.common.testing.PrivateRabbitCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the failover suite's cluster says about one run's queue, asked with rabbitmqctl of a node
 * that runs: its consumers and which is active, the node holding its leader, the node a connection
 * is on; and the nodes the run killed, started again at its end.
 */
final class ClusterView {

    /** A consumer of the head office's queue as the broker lists it. */
    record QueueConsumer(String tag, boolean active) {}

    private static final Pattern NODE_NAME = Pattern.compile("salesync-\\d+-(\\d)@");

    private final PrivateRabbitCluster cluster;
    private final String runName;
    private final String salesQueue;
    private final Set<Integer> killedNodes = new TreeSet<>();

    ClusterView(PrivateRabbitCluster cluster, String runName, String queue) {
        this.cluster = cluster;
        this.runName = runName;
        this.salesQueue = queue;
    }

    /** The consumers of the head office's queue, asked of a running node. */
    List<QueueConsumer> consumers() {
        String json = cluster.ctl(
                runningNode(),
                "list_consumers",
                "-p",
                "/",
                "queue_name",
                "consumer_tag",
                "active",
                "--formatter",
                "json");
        List<QueueConsumer> consumers = new ArrayList<>();
        for (JsonNode consumer : json(json)) {
            if (consumer.path("queue_name").asText().equals(salesQueue)) {
                consumers.add(new QueueConsumer(
                        consumer.path("consumer_tag").asText(),
                        consumer.path("active").asBoolean()));
            }
        }
        return consumers;
    }

    /** The node (1 to 3) holding the leader of the head office's queue. */
    int leaderNode() {
        String json = cluster.ctl(runningNode(), "list_queues", "-p", "/", "name", "leader", "--formatter", "json");
        for (JsonNode queue : json(json)) {
            if (queue.path("name").asText().equals(salesQueue)) {
                Matcher matcher = NODE_NAME.matcher(queue.path("leader").asText());
                if (matcher.find()) {
                    return Integer.parseInt(matcher.group(1));
                }
            }
        }
        throw new IllegalStateException(runName + ": no leader listed for " + salesQueue + ": " + json);
    }

    /** The node (1 to 3) the branch's relay is connected to, 0 when it has no connection. */
    int nodeOfBranch(String branchId) {
        return cluster.nodeOfConnection("salesync-branch-" + branchId, runningNode());
    }

    /** Kills node {@code node} with SIGKILL; returns when, {@link System#nanoTime()}. */
    long killNode(int node) {
        killedNodes.add(node);
        return cluster.kill(node);
    }

    /** Starts the killed nodes again and waits until the three form one cluster. */
    void restartNodes() {
        if (!killedNodes.isEmpty()) {
            cluster.startStopped();
            killedNodes.clear();
        }
    }

    private JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(runName + ": rabbitmqctl did not print JSON: " + text, e);
        }
    }

    private int runningNode() {
        for (int node = 1; node <= PrivateRabbitCluster.NODES; node++) {
            if (!killedNodes.contains(node)) {
                return node;
            }
        }
        throw new IllegalStateException("every node is down");
    }
}
