package io.salesync.branch.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.salesync.branch.persistence.OutboxRepository.OutboxMessage;
import io.salesync.common.amqp.MessageHeaders;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.BranchHeartbeat;
import io.salesync.common.event.SaleChange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One confirm-mode channel of the relay with its {@link ConfirmWindow}: the client's callbacks of
 * this channel (acks, nacks, returns, its closing) go to this window only, and wake the relay. A
 * failed channel is closed with its window and a new one is opened; nothing of the old one is
 * carried over.
 *
 * <p>Relay thread only, but for the callbacks, which only record in the window.
 */
final class RelayChannel {

    private static final Logger log = LoggerFactory.getLogger(RelayChannel.class);

    private final Channel channel;
    private final ConfirmWindow window = new ConfirmWindow();
    private final Topology topology;
    private final String branchId;
    private final String user;

    private RelayChannel(Channel channel, Topology topology, String branchId, String user) {
        this.channel = channel;
        this.topology = topology;
        this.branchId = branchId;
        this.user = user;
    }

    /**
     * Opens a channel, checks that the sales exchange exists (a branch declares nothing), turns on
     * confirms and routes the callbacks to a new window.
     *
     * @param unroutable what a returned message is noted with
     * @param wake       called after each callback
     * @throws IOException when the channel cannot be opened or the exchange does not exist yet
     */
    static RelayChannel open(
            Connection connection, Topology topology, String branchId, String user, String unroutable, Runnable wake)
            throws IOException {
        Channel opened = connection.createChannel();
        try {
            topology.declareForBranch(opened);
            opened.confirmSelect();
        } catch (IOException | RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
        RelayChannel relayChannel = new RelayChannel(opened, topology, branchId, user);
        ConfirmWindow window = relayChannel.window;
        opened.addConfirmListener(
                (tag, multiple) -> {
                    window.acked(tag, multiple);
                    wake.run();
                },
                (tag, multiple) -> {
                    window.nacked(tag, multiple);
                    wake.run();
                });
        opened.addReturnListener(
                returned -> window.returned(returned.getProperties().getMessageId(), unroutable));
        opened.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                window.lost("the channel was closed: " + cause.getMessage());
                wake.run();
            }
        });
        return relayChannel;
    }

    ConfirmWindow window() {
        return window;
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /** Publishes an outbox row, persistent and mandatory, and records it in the window first. */
    void publish(OutboxMessage row, Instant at) throws IOException {
        String messageId = SaleChange.messageId(branchId, row.seq());
        AMQP.BasicProperties properties = MessageProperties.PERSISTENT_BASIC
                .builder()
                .contentType(SaleChangeCodec.CONTENT_TYPE)
                .contentEncoding("utf-8")
                .messageId(messageId)
                .type(row.messageType())
                .userId(user)
                .appId("salesync-branch-" + branchId)
                .timestamp(Date.from(row.createdAt()))
                .headers(Map.of(MessageHeaders.SCHEMA_VERSION, SaleChangeCodec.SCHEMA_VERSION))
                .build();
        window.sent(channel.getNextPublishSeqNo(), row.seq(), messageId, at);
        channel.basicPublish(topology.salesExchange(), Topology.routingKey(branchId), true, properties, row.payload());
    }

    /**
     * Publishes a heartbeat: transient, not mandatory, expiring after {@code expiry}, and not in the
     * window, so that the relay never waits for it and its confirm or nack (ignored by the window)
     * changes nothing.
     */
    void publishHeartbeat(String messageId, byte[] body, Instant at, Duration expiry) throws IOException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(SaleChangeCodec.CONTENT_TYPE)
                .contentEncoding("utf-8")
                .deliveryMode(1)
                .expiration(String.valueOf(expiry.toMillis()))
                .messageId(messageId)
                .type(BranchHeartbeat.MESSAGE_TYPE)
                .userId(user)
                .appId("salesync-branch-" + branchId)
                .timestamp(Date.from(at))
                .headers(Map.of(MessageHeaders.SCHEMA_VERSION, SaleChangeCodec.SCHEMA_VERSION))
                .build();
        channel.basicPublish(topology.salesExchange(), Topology.routingKey(branchId), false, properties, body);
    }

    /** Waits for the last confirms before the relay stops. */
    void waitForConfirms(long millis) throws InterruptedException, TimeoutException {
        if (channel.isOpen()) {
            channel.waitForConfirms(millis);
        }
    }

    /** Closes the window (later callbacks change nothing), then the channel. */
    ConfirmWindow.Closed close() {
        ConfirmWindow.Closed closed = window.close();
        closeQuietly(channel);
        return closed;
    }

    private static void closeQuietly(Channel channel) {
        if (channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                log.debug("Closing a relay channel: {}", e.getMessage());
            }
        }
    }
}
