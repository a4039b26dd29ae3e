package io.salesync.headoffice.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the head office declares beside its queue, on a channel of its own, so that a failure there
 * (a node is down, a declaration is refused) neither closes the channel the
 * consumer acknowledges on nor stops it consuming: the dead-letter queue once per session, taking
 * the classic dead-letter queue of earlier versions out of the dead-letter exchange; and a branch's
 * control queue the first time the consumer hears from the branch, so that the branch, which may
 * create nothing itself, can listen for the head office's requests.
 *
 * <p>Consumer thread only.
 */
final class SecondaryTopology {

    private static final Logger log = LoggerFactory.getLogger(SecondaryTopology.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final BrokerConnector connector;
    private final Topology topology;
    private final Set<String> declared = new HashSet<>();
    private final Map<String, Long> failedAt = new HashMap<>();
    private Channel channel;

    SecondaryTopology(BrokerConnector connector, Topology topology) {
        this.connector = connector;
        this.topology = topology;
    }

    /**
     * Declares the dead-letter queue; the one of earlier versions, when there is one, is taken out of
     * the dead-letter exchange (its messages stay for the operator). A failure is said and tried
     * again with the next session.
     */
    void declareDeadLetters(Connection connection) {
        try {
            if (LegacyQueue.exists(connection, topology.legacyDeadLetterQueue())) {
                channel(connection).queueUnbind(topology.legacyDeadLetterQueue(), topology.deadLetterExchange(), "");
                log.info(
                        "{} (the dead-letter queue of an earlier version) no longer receives dead letters; they go to {}."
                                + " Look through what it holds, then delete it.",
                        topology.legacyDeadLetterQueue(),
                        topology.deadLetterQueue());
            }
            topology.declareDeadLetters(channel(connection));
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "Could not declare the dead-letter queue {} ({}); refused messages are rejected to it once it"
                            + " exists",
                    topology.deadLetterQueue(),
                    connector.describe(e));
            close();
        }
    }

    /**
     * Declares the branch's control queue unless this session did. A failure (the broker refuses,
     * or the node of an earlier version's classic queue is down) is said once and tried again with
     * the branch's messages, at most every {@link #RETRY_AFTER}.
     */
    void ensure(Connection connection, String branchId) {
        if (declared.contains(branchId)) {
            return;
        }
        Long failed = failedAt.get(branchId);
        if (failed != null && System.nanoTime() - failed < RETRY_AFTER.toNanos()) {
            return;
        }
        try {
            if (!topology.declareControlQueue(channel(connection), branchId)) {
                log.info(
                        "{} is a queue of an earlier version and still holds requests: it stays until branch {} has taken"
                                + " them, and is replaced by a replicated queue after",
                        topology.controlQueue(branchId),
                        branchId);
            }
            declared.add(branchId);
            if (failedAt.remove(branchId) != null) {
                log.info("Declared the control queue of branch {}", branchId);
            }
        } catch (IOException | RuntimeException e) {
            if (failedAt.put(branchId, System.nanoTime()) == null) {
                log.warn(
                        "Could not declare the control queue of branch {} ({}); trying again every {} s while its changes"
                                + " arrive",
                        branchId,
                        connector.describe(e),
                        RETRY_AFTER.toSeconds());
            } else {
                log.debug("Could not declare the control queue of branch {}: {}", branchId, e.getMessage());
            }
            close();
        }
    }

    private Channel channel(Connection connection) throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = connection.createChannel();
        }
        return channel;
    }

    /** A new session: declared again as branches are heard from. */
    void reset() {
        close();
        declared.clear();
        failedAt.clear();
    }

    private void close() {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                log.debug("Closing the control-queue channel: {}", e.getMessage());
            }
        }
        channel = null;
    }
}
