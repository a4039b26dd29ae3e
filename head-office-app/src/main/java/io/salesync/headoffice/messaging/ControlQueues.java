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
 * Declares a branch's control queue the first time the consumer hears from it in a session, so that
 * the branch, which may create nothing itself, can listen for the head office's requests. On a
 * channel of its own: a failure there must not close the channel the consumer acknowledges on.
 *
 * <p>Consumer thread only.
 */
final class ControlQueues {

    private static final Logger log = LoggerFactory.getLogger(ControlQueues.class);

    private final BrokerConnector connector;
    private final Topology topology;
    private final Set<String> declared = new HashSet<>();
    private Channel channel;

    ControlQueues(BrokerConnector connector, Topology topology) {
        this.connector = connector;
        this.topology = topology;
    }

    /** Declares the branch's control queue unless this session did; a failure is tried again with its next message. */
    void ensure(Connection connection, String branchId) {
        if (declared.contains(branchId)) {
            return;
        }
        try {
            if (channel == null || !channel.isOpen()) {
                channel = connection.createChannel();
            }
            topology.declareControlQueue(channel, branchId);
            declared.add(branchId);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not declare the control queue of branch {} ({}); trying again with its next message", branchId,
                    connector.describe(e));
            close();
        }
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
