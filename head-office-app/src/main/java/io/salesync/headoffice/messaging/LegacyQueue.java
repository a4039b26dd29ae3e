package io.salesync.headoffice.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.ShutdownSignalException;
import io.salesync.common.amqp.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head office's queue of earlier versions ({@link Topology#legacySalesQueue()}), which had no
 * single active consumer. A queue's arguments cannot change, so the head office that finds it takes
 * it out of the exchange (new changes go to the new queue), consumes what it still holds through the
 * usual path, and deletes it once it is empty, everything taken from it is acknowledged, and no
 * other head office is draining it too (the last one to drain it deletes it; an empty one that is
 * left behind receives nothing).
 *
 * <p>Consumer thread only.
 */
final class LegacyQueue {

    static final String CONSUMER_TAG = "salesync-head-office-earlier-queue";
    private static final Logger log = LoggerFactory.getLogger(LegacyQueue.class);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);

    private final Topology topology;
    private boolean draining;
    private long lastCheckNanos;

    LegacyQueue(Topology topology) {
        this.topology = topology;
    }

    /** Starts draining the earlier queue when it exists; whether it did. */
    boolean drainIfPresent(Connection connection, Channel channel, Consumer consumer) throws IOException {
        draining = exists(connection, topology.legacySalesQueue());
        if (draining) {
            channel.queueUnbind(topology.legacySalesQueue(), topology.salesExchange(), Topology.SALES_BINDING);
            channel.basicConsume(topology.legacySalesQueue(), false, CONSUMER_TAG, consumer);
            log.info(
                    "Draining {} (the queue of an earlier version) into the head office; it is deleted once empty",
                    topology.legacySalesQueue());
        }
        return draining;
    }

    /** Deletes the earlier queue once drained (see the class comment). */
    void deleteWhenDrained(Connection connection, Channel channel, boolean nothingInFlight) {
        if (!draining || !nothingInFlight || System.nanoTime() - lastCheckNanos < CHECK_EVERY.toNanos()) {
            return;
        }
        lastCheckNanos = System.nanoTime();
        try {
            AMQP.Queue.DeclareOk counts = counts(connection, topology.legacySalesQueue());
            if (counts == null) {
                draining = false; // deleted by another head office
            } else if (counts.getMessageCount() == 0 && counts.getConsumerCount() <= 1) {
                // Quorum queues take no if-empty delete: the queue is out of the exchange, and empty.
                channel.queueDelete(topology.legacySalesQueue());
                draining = false;
                log.info(
                        "Deleted {}, drained: the head office now consumes {} only",
                        topology.legacySalesQueue(),
                        topology.salesQueue());
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Checking {}: {}", topology.legacySalesQueue(), e.getMessage());
        }
    }

    /** Whether a queue exists, asked on a channel of its own (a missing queue closes it). */
    static boolean exists(Connection connection, String queue) throws IOException {
        return counts(connection, queue) != null;
    }

    /** A queue's messages and consumers, or null when it does not exist; on a channel of its own. */
    private static AMQP.Queue.DeclareOk counts(Connection connection, String queue) throws IOException {
        Channel probe = connection.createChannel();
        try {
            return probe.queueDeclarePassive(queue);
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException signal
                    && signal.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == AMQP.NOT_FOUND) {
                return null;
            }
            throw e;
        } finally {
            if (probe.isOpen()) {
                try {
                    probe.close();
                } catch (IOException | TimeoutException | RuntimeException e) {
                    log.debug("Closing a probe channel: {}", e.getMessage());
                }
            }
        }
    }
}
