package io.salesync.headoffice.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.BrokerUnavailableException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one message at a time, persistent and mandatory, on a connection and confirm-mode
 * channel of its own (opened on first use, reopened after a failure), and waits for the broker's
 * confirm. Not thread-safe: its users serialise their calls.
 */
final class ConfirmedPublisher implements AutoCloseable {

    /** Work on the channel: declarations when it opens, or before a publish. */
    @FunctionalInterface
    interface ChannelWork {
        void run(Channel channel) throws IOException;
    }

    /** The broker did not confirm the message; the message says why, in words for the user. */
    static final class NotConfirmed extends Exception {

        private final boolean unreachable;

        NotConfirmed(boolean unreachable, String message, Throwable cause) {
            super(message, cause);
            this.unreachable = unreachable;
        }

        /** True when no connection could be opened at all (nothing was sent). */
        boolean unreachable() {
            return unreachable;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ConfirmedPublisher.class);
    private static final long CONFIRM_TIMEOUT_MS = 5_000;

    private final BrokerConnector connector;
    private final ChannelWork onOpen;
    private final AtomicBoolean returned = new AtomicBoolean();
    private Connection connection;
    private Channel channel;

    ConfirmedPublisher(BrokerConnector connector, ChannelWork onOpen) {
        this.connector = connector;
        this.onOpen = onOpen;
    }

    /**
     * Runs {@code before} on the channel, publishes and waits for the confirm.
     *
     * @return false when the broker returned the message: no queue took it
     */
    boolean publish(
            ChannelWork before, String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
            throws NotConfirmed {
        try {
            Channel open = channel();
            before.run(open);
            returned.set(false);
            open.basicPublish(exchange, routingKey, true, properties, body);
            open.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
            return !returned.get();
        } catch (BrokerUnavailableException e) {
            throw new NotConfirmed(true, e.getMessage(), e);
        } catch (IOException | TimeoutException | RuntimeException e) {
            closeQuietly();
            throw new NotConfirmed(
                    false, e instanceof IOException io ? connector.describe(io) : String.valueOf(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new NotConfirmed(false, "interrupted while waiting for RabbitMQ to confirm", e);
        }
    }

    private Channel channel() throws IOException, BrokerUnavailableException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        closeQuietly();
        connection = connector.connect();
        channel = connection.createChannel();
        onOpen.run(channel);
        channel.confirmSelect();
        channel.addReturnListener(returnedMessage -> returned.set(true));
        return channel;
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the publishing connection: {}", e.getMessage());
            }
        }
        connection = null;
        channel = null;
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
