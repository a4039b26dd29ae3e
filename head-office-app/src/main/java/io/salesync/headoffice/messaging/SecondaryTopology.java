package io.salesync.headoffice.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the head office declares beside its queue, on a channel of its own, so that a failure there
 * (the node of a classic queue is down, a declaration is refused) neither closes the channel the
 * consumer acknowledges on nor stops it consuming: the dead-letter queue once per session, taking
 * the classic dead-letter queue of earlier versions out of the dead-letter exchange; and a branch's
 * control queue the first time the consumer hears from the branch, so that the branch, which may
 * create nothing itself, can listen for the head office's requests.
 *
 * <p>Consumer thread only.
 */
final class SecondaryTopology {

    private static final Logger log = LoggerFactory.getLogger(SecondaryTopology.class);

    private final BrokerConnector connector;
    private final Topology topology;
    private final Set<String> declared = new HashSet<>();
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
                log.info("{} (the dead-letter queue of an earlier version) no longer receives dead letters; they go to {}."
                        + " Look through what it holds, then delete it.", topology.legacyDeadLetterQueue(),
                        topology.deadLetterQueue());
            }
            topology.declareDeadLetters(channel(connection));
        } catch (IOException | RuntimeException e) {
            log.warn("Could not declare the dead-letter queue {} ({}); refused messages are rejected to it once it"
                    + " exists", topology.deadLetterQueue(), connector.describe(e));
            close();
        }
    }

    /** Declares the branch's control queue unless this session did; a failure is tried again with its next message. */
    void ensure(Connection connection, String branchId) {
        if (declared.contains(branchId)) {
            return;
        }
        try {
            topology.declareControlQueue(channel(connection), branchId);
            declared.add(branchId);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not declare the control queue of branch {} ({}); trying again with its next message", branchId,
                    connector.describe(e));
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
