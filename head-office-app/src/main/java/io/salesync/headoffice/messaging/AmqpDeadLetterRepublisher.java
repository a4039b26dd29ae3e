package io.salesync.headoffice.messaging;

import com.rabbitmq.client.AMQP;
import io.salesync.common.EventThreadGuard;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.headoffice.service.DeadLetterRepublisher;
import java.util.Map;

/**
 * Publishes a dead letter again, on its own connection and confirm-mode channel (opened on first
 * use, reopened after a failure), persistent and mandatory, and waits for the broker's confirm.
 * The message carries the head office's own {@code user_id} (the broker refuses any other on this
 * connection), which the consumer accepts for any branch. Calls are serialised, so the channel is
 * never used by two threads at once.
 */
public final class AmqpDeadLetterRepublisher implements DeadLetterRepublisher, AutoCloseable {

    /** Header naming the dead_letter_log row a retried message came from. */
    public static final String RETRIED_FROM = "x-salesync-retried-from";

    private final BrokerConnector connector;
    private final Topology topology;
    private final ConfirmedPublisher publisher;

    public AmqpDeadLetterRepublisher(BrokerConnector connector, Topology topology) {
        this.connector = connector;
        this.topology = topology;
        this.publisher = new ConfirmedPublisher(connector, channel -> {});
    }

    @Override
    public synchronized void republish(RetryMessage message) {
        EventThreadGuard.requireOffEventThread("publishing a dead letter again");
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType(message.contentType())
                .type(message.messageType())
                .messageId(message.messageId())
                .userId(connector.settings().user())
                .headers(Map.of(RETRIED_FROM, message.deadLetterId()))
                .build();
        boolean taken;
        try {
            taken = publisher.publish(
                    channel -> {}, topology.salesExchange(), message.routingKey(), properties, message.body());
        } catch (ConfirmedPublisher.NotConfirmed e) {
            throw new RepublishException(
                    e.unreachable()
                            ? "The message was not retried: " + e.getMessage()
                            : "RabbitMQ did not confirm the message, so it was not retried: " + e.getMessage(),
                    e);
        }
        if (!taken) {
            throw new RepublishException(
                    "No queue took the message (routing key " + message.routingKey() + "): is the head office queue "
                            + topology.salesQueue() + " there?",
                    null);
        }
    }

    @Override
    public synchronized void close() {
        publisher.close();
    }
}
