package io.salesync.bench.env;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.salesync.bench.Services;
import io.salesync.common.amqp.Topology;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A copy of one branch's sales messages, taken at the broker: a temporary classic queue of the
 * benchmark's own, bound to the sales exchange beside the head office's queue, consumed without
 * acknowledgements. It notes when each message (by message id, {@code branch:seq}) reached it, which
 * splits a change's latency into the branch's part (commit, relay, publish) and the head office's
 * part (its quorum queue, consumer and transaction). The head office's queue is not touched.
 *
 * <p>One branch, not all: a copy of every message is work for the broker and the benchmark that a
 * deployment does not do, on the machine being measured.
 */
public final class BrokerTap implements AutoCloseable {

    private final Connection connection;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();

    /** Copies the messages of the branch {@code branchId}. */
    public BrokerTap(Services services, Topology topology, String branchId) throws IOException {
        this.connection = services.amqp("tap");
        Channel channel = connection.createChannel();
        String queue = channel.queueDeclare("", false, true, true, Map.of("x-queue-type", "classic"))
                .getQueue();
        channel.queueBind(queue, topology.salesExchange(), Topology.routingKey(branchId));
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                seen.putIfAbsent(String.valueOf(properties.getMessageId()), System.nanoTime());
            }
        });
    }

    /** When the message with this id first reached the tap ({@link System#nanoTime()}), or -1. */
    public long seenAt(String messageId) {
        return seen.getOrDefault(messageId, -1L);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            // the queue is exclusive and goes with the connection anyway
        }
    }
}
