package io.salesync.branch.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.MessageFormatException;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.BranchCommand;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the head office's requests from this branch's control queue and carries them out one at a
 * time. A request is acknowledged only after it was carried out (a resync: after every sale is in
 * the outbox), so a branch that stops half-way does it again when it starts.
 *
 * <p>Requests are rare, so the listener asks for the next one every couple of seconds instead of
 * holding a consumer: one thread ("bo-control-&lt;branch&gt;") owns its connection and channel.
 * Until the head office has run once the control exchange does not exist; the listener waits.
 */
public final class ControlListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlListener.class);
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration RETRY = Duration.ofSeconds(10);

    /** Carries out a request; throws when it could not (it is asked again later). */
    @FunctionalInterface
    public interface Handler {
        void handle(BranchCommand command) throws Exception;
    }

    private final String branchId;
    private final BrokerConnector connector;
    private final Topology topology;
    private final SaleChangeCodec codec;
    private final Handler handler;
    private final Thread thread;
    private volatile boolean running = true;
    private Connection connection;
    private Channel channel;

    public ControlListener(String branchId, BrokerConnector connector, Topology topology, SaleChangeCodec codec,
                           Handler handler) {
        this.branchId = branchId;
        this.connector = connector;
        this.topology = topology;
        this.codec = codec;
        this.handler = handler;
        this.thread = new Thread(this::run, "bo-control-" + branchId);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (running) {
                if (!listening()) {
                    Thread.sleep(RETRY.toMillis());
                    continue;
                }
                GetResponse response;
                try {
                    response = channel.basicGet(topology.controlQueue(branchId), false);
                } catch (IOException | RuntimeException e) {
                    log.info("Branch {} lost its control queue ({}); reconnecting", branchId, e.getMessage());
                    closeConnection();
                    continue;
                }
                if (response == null) {
                    Thread.sleep(POLL.toMillis());
                } else {
                    handle(response);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConnection();
        }
    }

    private boolean listening() throws InterruptedException {
        if (channel != null && channel.isOpen()) {
            return true;
        }
        closeConnection();
        try {
            connection = connector.connectWithRetry(() -> running,
                    reason -> log.debug("Branch {} control queue: {}", branchId, reason));
            if (connection == null) {
                return false;
            }
            channel = connection.createChannel();
            topology.declareControlQueue(channel, branchId);
            log.info("Branch {} listens for head-office requests on {}", branchId, topology.controlQueue(branchId));
            return true;
        } catch (IOException | RuntimeException e) {
            String cause = e.getCause() instanceof com.rabbitmq.client.ShutdownSignalException signal
                    ? signal.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close ? close.getReplyText() : signal.getMessage()
                    : connector.describe(e);
            log.info("Branch {} cannot listen for head-office requests yet: {} (the head office creates {} when it first"
                    + " runs); retrying in {} s", branchId, cause, topology.controlExchange(), RETRY.toSeconds());
            closeConnection();
            return false;
        }
    }

    private void handle(GetResponse response) throws InterruptedException {
        long tag = response.getEnvelope().getDeliveryTag();
        BranchCommand command;
        try {
            command = codec.decodeCommand(response.getBody());
        } catch (MessageFormatException e) {
            log.warn("Branch {} dropped an unreadable head-office request: {}", branchId, e.getMessage());
            settle(tag, false);
            return;
        }
        if (!branchId.equals(command.branchId())) {
            log.warn("Branch {} dropped a request meant for branch {} ({})", branchId, command.branchId(), command.requestId());
            settle(tag, false);
            return;
        }
        log.info("Branch {} carries out head-office request {} {} from {}", branchId, command.action().wireName(),
                command.requestId(), command.requestedBy());
        try {
            handler.handle(command);
            settle(tag, true);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            log.warn("Branch {} could not carry out request {} ({}); it is retried in {} s", branchId, command.requestId(),
                    e.getMessage(), RETRY.toSeconds());
            Thread.sleep(RETRY.toMillis());
            requeue(tag);
        }
    }

    /** Acknowledges a request carried out, or drops one that cannot be (done = false). */
    private void settle(long tag, boolean done) {
        try {
            if (done) {
                channel.basicAck(tag, false);
            } else {
                channel.basicReject(tag, false);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Settling a control message: {}", e.getMessage());
        }
    }

    private void requeue(long tag) {
        try {
            channel.basicNack(tag, false, true);
        } catch (IOException | RuntimeException e) {
            log.debug("Requeueing a control message: {}", e.getMessage());
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the control connection: {}", e.getMessage());
            }
        }
        connection = null;
        channel = null;
    }
}
