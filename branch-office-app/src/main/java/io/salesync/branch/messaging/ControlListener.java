package io.salesync.branch.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.common.amqp.TopologyMissingException;
import io.salesync.common.codec.MessageFormatException;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.BranchCommand;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the head office's requests from this branch's control queue and carries them out one at a
 * time. A request is acknowledged only after it was carried out (a resync: after every sale is in
 * the outbox), so a branch that stops half-way does it again when it starts.
 *
 * <p>Requests are rare, so the listener asks for the next one every couple of seconds instead of
 * holding a consumer: one thread ("bo-control-&lt;branch&gt;") owns its connection and channel.
 *
 * <p>The branch's broker user may read its control queue but not declare or bind it: the head
 * office creates it when it first hears from the branch, or before it sends the branch a request.
 * Until then the listener checks for it (a passive declaration) every 2 s, as often as it polls for
 * requests, and says once that it waits.
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
    private boolean waitingForQueue;
    private Duration retryIn = RETRY;
    private Connection connection;
    private Channel channel;

    public ControlListener(
            String branchId, BrokerConnector connector, Topology topology, SaleChangeCodec codec, Handler handler) {
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
                    Thread.sleep(retryIn.toMillis());
                    continue;
                }
                GetResponse response;
                try {
                    response = channel.basicGet(topology.controlQueue(branchId), false);
                } catch (IOException | RuntimeException e) {
                    log.info(
                            "Branch {} lost its control queue {} ({}); looking for it again",
                            branchId,
                            topology.controlQueue(branchId),
                            connector.describe(e));
                    closeChannel();
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

    /**
     * Has a channel on which the control queue was found; connects and checks when there is none.
     * When false, {@link #retryIn} says when to try again: as often as requests are polled while
     * the queue is missing, so a request is seen as soon as the head office created it.
     */
    private boolean listening() throws InterruptedException {
        if (channel != null && channel.isOpen()) {
            return true;
        }
        closeChannel();
        if (connection == null || !connection.isOpen()) {
            closeConnection();
            connection = connector.connectWithRetry(
                    () -> running, reason -> log.debug("Branch {} control queue: {}", branchId, reason));
            if (connection == null) {
                retryIn = RETRY;
                return false;
            }
        }
        try {
            Channel opened = connection.createChannel();
            topology.checkControlQueue(opened, branchId);
            channel = opened;
            waitingForQueue = false;
            log.info("Branch {} listens for head-office requests on {}", branchId, topology.controlQueue(branchId));
            return true;
        } catch (TopologyMissingException e) {
            if (!waitingForQueue) {
                waitingForQueue = true;
                log.info(
                        "Branch {} waits for the head office to create its control queue {} (it does when it first"
                                + " hears from this branch, or before it sends it a request); checking every {} s",
                        branchId,
                        topology.controlQueue(branchId),
                        POLL.toSeconds());
            }
            retryIn = POLL;
            return false;
        } catch (IOException | RuntimeException e) {
            retryIn = RETRY;
            log.info(
                    "Branch {} cannot listen for head-office requests yet: {}; retrying in {} s",
                    branchId,
                    connector.describe(e),
                    RETRY.toSeconds());
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
            log.warn(
                    "Branch {} dropped a request meant for branch {} ({})",
                    branchId,
                    command.branchId(),
                    command.requestId());
            settle(tag, false);
            return;
        }
        log.info(
                "Branch {} carries out head-office request {} {} from {}",
                branchId,
                command.action().wireName(),
                command.requestId(),
                command.requestedBy());
        try {
            handler.handle(command);
            settle(tag, true);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            log.warn(
                    "Branch {} could not carry out request {} ({}); it is retried in {} s",
                    branchId,
                    command.requestId(),
                    e.getMessage(),
                    RETRY.toSeconds());
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

    private void closeChannel() {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                log.debug("Closing the control channel: {}", e.getMessage());
            }
        }
        channel = null;
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
