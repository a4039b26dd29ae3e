package io.salesync.headoffice.messaging;

import com.rabbitmq.client.AMQP;
import io.salesync.common.EventThreadGuard;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.BranchCommand;
import io.salesync.headoffice.service.BranchRequests;
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

    private final BrokerConnector connector;
    private final Topology topology;
    private final SaleChangeCodec codec;
    private final ConfirmedPublisher publisher;

    public AmqpBranchRequests(BrokerConnector connector, Topology topology, SaleChangeCodec codec) {
        this.connector = connector;
        this.topology = topology;
        this.codec = codec;
        this.publisher = new ConfirmedPublisher(connector, topology::declare);
    }

    @Override
    public synchronized void send(BranchCommand command) {
        EventThreadGuard.requireOffEventThread("sending a request to a branch");
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType(SaleChangeCodec.CONTENT_TYPE)
                .type(BranchCommand.MESSAGE_TYPE)
                .messageId(command.requestId().toString())
                .userId(connector.settings().user())
                .build();
        boolean taken;
        try {
            taken = publisher.publish(
                    channel -> topology.declareControlQueue(channel, command.branchId()),
                    topology.controlExchange(),
                    command.branchId(),
                    properties,
                    codec.encode(command));
        } catch (ConfirmedPublisher.NotConfirmed e) {
            throw new RequestException(
                    e.unreachable()
                            ? "The request was not sent: " + e.getMessage()
                            : "RabbitMQ did not take the request for branch " + command.branchId() + ": "
                                    + e.getMessage(),
                    e);
        }
        if (!taken) {
            throw new RequestException(
                    "No queue took the request for branch " + command.branchId() + ": is "
                            + topology.controlQueue(command.branchId()) + " there?",
                    null);
        }
        log.info(
                "Asked branch {} to {} (request {}, by {})",
                command.branchId(),
                command.action().wireName(),
                command.requestId(),
                command.requestedBy());
    }

    @Override
    public synchronized void close() {
        publisher.close();
    }
}
