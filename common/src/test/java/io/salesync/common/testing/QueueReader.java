package io.salesync.common.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import io.salesync.common.event.BranchHeartbeat;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takes every message a queue holds, as a consumer would: the head office's queue has a single
 * active consumer, which RabbitMQ serves to consumers only (no {@code basic.get}). For tests that
 * look at what reached a queue.
 */
public final class QueueReader {

    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Duration AT_MOST = Duration.ofSeconds(30);

    private QueueReader() {}

    /**
     * Consumes (and acknowledges) the queue until it is empty and nothing more arrives for a moment,
     * at most 30 s; returns the messages in the order they came, without the branches' heartbeats
     * (a running relay sends them beside its changes).
     */
    public static List<Delivery> drain(Channel channel, String queue) throws IOException, InterruptedException {
        LinkedBlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
        channel.basicQos(1000);
        String tag =
                channel.basicConsume(queue, true, (consumerTag, delivery) -> received.add(delivery), consumerTag -> {});
        List<Delivery> messages = new ArrayList<>();
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Delivery next = received.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS);
                if (next != null) {
                    if (!BranchHeartbeat.MESSAGE_TYPE.equals(
                            next.getProperties().getType())) {
                        messages.add(next);
                    }
                } else if (channel.messageCount(queue) == 0) {
                    break;
                }
            }
        } finally {
            channel.basicCancel(tag);
        }
        for (Delivery late : received) {
            if (!BranchHeartbeat.MESSAGE_TYPE.equals(late.getProperties().getType())) {
                messages.add(late);
            }
        }
        return messages;
    }
}
