package io.salesync.headoffice.messaging;

import com.rabbitmq.client.AMQP;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.MessageHeaders;
import io.salesync.common.amqp.Topology;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Republishes a refused message to the dead-letter exchange with the reason and where it came from
 * in headers, through a {@link ConfirmedPublisher}, and says whether the broker took it. The
 * consumer acknowledges the original only when it did; otherwise it rejects it, which dead-letters
 * it through the queue's own dead-letter exchange, without the reason.
 *
 * <p>Consumer thread only.
 */
final class DeadLetterPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);
    private static final int MAX_REASON_CHARS = 1000;

    private final ConfirmedPublisher publisher;
    private final Topology topology;
    private final Clock clock;

    DeadLetterPublisher(BrokerConnector connector, Topology topology, Clock clock) {
        this.publisher = new ConfirmedPublisher(connector, topology::declare);
        this.topology = topology;
        this.clock = clock;
    }

    /**
     * @param body the original body; null when it was too large to keep (then nothing is published)
     * @return whether the broker confirmed the copy and a queue took it
     */
    boolean publish(String routingKey, AMQP.BasicProperties original, byte[] body, String reason) {
        if (body == null) {
            return false;
        }
        Map<String, Object> headers = new HashMap<>();
        if (original.getHeaders() != null) {
            headers.putAll(original.getHeaders());
        }
        headers.put(
                MessageHeaders.DEAD_LETTER_REASON,
                reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason);
        headers.put(MessageHeaders.ORIGINAL_ROUTING_KEY, routingKey);
        headers.put(MessageHeaders.DEAD_LETTERED_AT, clock.instant().toString());
        if (original.getUserId() != null) {
            headers.put(MessageHeaders.ORIGINAL_USER_ID, original.getUserId());
        }
        // user_id must go: the broker checks it against this connection's user.
        AMQP.BasicProperties properties =
                original.builder().headers(headers).deliveryMode(2).userId(null).build();
        try {
            boolean taken =
                    publisher.publish(channel -> {}, topology.deadLetterExchange(), routingKey, properties, body);
            if (!taken) {
                log.warn(
                        "No queue took the dead letter {} at {}; rejecting it instead",
                        original.getMessageId(),
                        topology.deadLetterExchange());
            }
            return taken;
        } catch (ConfirmedPublisher.NotConfirmed e) {
            log.warn(
                    "Could not republish message {} with its reason ({}); rejecting it to the dead-letter queue instead",
                    original.getMessageId(),
                    e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        publisher.close();
    }
}
