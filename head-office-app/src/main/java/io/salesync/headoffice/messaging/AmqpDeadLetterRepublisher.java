package io.salesync.headoffice.messaging;

import io.salesync.common.EventThreadGuard;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.BrokerUnavailableException;
import io.salesync.common.amqp.Topology;
import io.salesync.headoffice.service.DeadLetterRepublisher;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger log = LoggerFactory.getLogger(AmqpDeadLetterRepublisher.class);
    private static final long CONFIRM_TIMEOUT_MS = 5_000;

    private final BrokerConnector connector;
    private final Topology topology;
    private final AtomicBoolean returned = new AtomicBoolean();
    private Connection connection;
    private Channel channel;

    public AmqpDeadLetterRepublisher(BrokerConnector connector, Topology topology) {
        this.connector = connector;
        this.topology = topology;
    }

    @Override
    public synchronized void republish(RetryMessage message) {
        EventThreadGuard.requireOffEventThread("publishing a dead letter again");
        try {
            Channel open = channel();
            returned.set(false);
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .deliveryMode(2)
                    .contentType(message.contentType())
                    .type(message.messageType())
                    .messageId(message.messageId())
                    .userId(connector.settings().user())
                    .headers(Map.of(RETRIED_FROM, message.deadLetterId()))
                    .build();
            open.basicPublish(topology.salesExchange(), message.routingKey(), true, properties, message.body());
            open.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
            if (returned.get()) {
                throw new RepublishException("No queue took the message (routing key " + message.routingKey()
                        + "): is the head office queue " + topology.salesQueue() + " there?", null);
            }
        } catch (BrokerUnavailableException e) {
            throw new RepublishException("The message was not retried: " + e.getMessage(), e);
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (e instanceof RepublishException republish) {
                throw republish;
            }
            closeQuietly();
            throw new RepublishException("RabbitMQ did not confirm the message, so it was not retried: "
                    + (e instanceof IOException io ? connector.describe(io) : String.valueOf(e.getMessage())), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new RepublishException("Interrupted while waiting for RabbitMQ to confirm the message.", e);
        }
    }

    private Channel channel() throws IOException, BrokerUnavailableException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        closeQuietly();
        connection = connector.connect();
        channel = connection.createChannel();
        channel.confirmSelect();
        channel.addReturnListener(returnedMessage -> returned.set(true));
        return channel;
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the retry connection: {}", e.getMessage());
            }
        }
        connection = null;
        channel = null;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
