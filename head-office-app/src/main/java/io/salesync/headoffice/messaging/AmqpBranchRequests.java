package io.salesync.headoffice.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.salesync.common.EventThreadGuard;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.BrokerUnavailableException;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.BranchCommand;
import io.salesync.headoffice.service.BranchRequests;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to branches through the control exchange: declares the branch's control queue
 * first (so a request waits there even for a branch that has not started since), publishes
 * persistent and mandatory, and waits for the broker's confirm. Calls are serialised, so the
 * channel is never used by two threads at once.
 */
public final class AmqpBranchRequests implements BranchRequests, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmqpBranchRequests.class);
    private static final long CONFIRM_TIMEOUT_MS = 5_000;

    private final BrokerConnector connector;
    private final Topology topology;
    private final SaleChangeCodec codec;
    private Connection connection;
    private Channel channel;

    public AmqpBranchRequests(BrokerConnector connector, Topology topology, SaleChangeCodec codec) {
        this.connector = connector;
        this.topology = topology;
        this.codec = codec;
    }

    @Override
    public synchronized void send(BranchCommand command) {
        EventThreadGuard.requireOffEventThread("sending a request to a branch");
        try {
            Channel open = channel();
            topology.declareControlQueue(open, command.branchId());
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .deliveryMode(2)
                    .contentType(SaleChangeCodec.CONTENT_TYPE)
                    .type(BranchCommand.MESSAGE_TYPE)
                    .messageId(command.requestId().toString())
                    .userId(connector.settings().user())
                    .build();
            open.basicPublish(topology.controlExchange(), command.branchId(), true, properties, codec.encode(command));
            open.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
            log.info("Asked branch {} to {} (request {}, by {})", command.branchId(), command.action().wireName(),
                    command.requestId(), command.requestedBy());
        } catch (BrokerUnavailableException e) {
            throw new RequestException("The request was not sent: " + e.getMessage(), e);
        } catch (IOException | TimeoutException | RuntimeException e) {
            closeQuietly();
            throw new RequestException("RabbitMQ did not take the request for branch " + command.branchId() + ": "
                    + (e instanceof IOException io ? connector.describe(io) : String.valueOf(e.getMessage())), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new RequestException("Interrupted while waiting for RabbitMQ to confirm the request.", e);
        }
    }

    private Channel channel() throws IOException, BrokerUnavailableException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        closeQuietly();
        connection = connector.connect();
        channel = connection.createChannel();
        topology.declare(channel);
        channel.confirmSelect();
        return channel;
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the request connection: {}", e.getMessage());
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
