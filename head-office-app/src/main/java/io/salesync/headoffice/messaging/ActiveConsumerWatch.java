package io.salesync.headoffice.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.salesync.common.amqp.Topology;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether this process is the queue's active consumer. The head office's queue has a single
 * active consumer, and RabbitMQ says nothing to the others; so each process publishes a heartbeat
 * to the queue every {@link #HEARTBEAT_EVERY}, and only the active one receives them (its own and
 * the others'). A process that has received nothing for {@link #SILENCE} is standing by.
 *
 * <p>{@link #delivered()} on the client's dispatch thread; the rest on the consumer thread.
 */
final class ActiveConsumerWatch {

    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);
    static final Duration SILENCE = Duration.ofSeconds(12);
    private static final Logger log = LoggerFactory.getLogger(ActiveConsumerWatch.class);

    private final Topology topology;
    private final String user;
    private final String process;
    private volatile long lastDeliveryNanos;
    private long lastBeatNanos;

    /** @param process this process as the heartbeat names it (host and pid) */
    ActiveConsumerWatch(Topology topology, String user, String process) {
        this.topology = topology;
        this.user = user;
        this.process = process.replace("\\", "").replace("\"", "");
    }

    private static final AtomicInteger CONSUMERS = new AtomicInteger();

    /**
     * This process as heartbeats and consumer tags name it: {@code pid@host} (with {@code #n} for a
     * second consumer in the same process, which only tests make).
     */
    static String thisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        int consumer = CONSUMERS.incrementAndGet();
        return ProcessHandle.current().pid() + "@" + host + (consumer == 1 ? "" : "#" + consumer);
    }

    /** A new consume channel: standing by until the first delivery; a heartbeat goes at once. */
    void opened() {
        lastDeliveryNanos = 0;
        lastBeatNanos = 0;
    }

    /**
     * The connection is gone: RabbitMQ has given the queue to another consumer, if there is one, and
     * this process is standing by until something is delivered to it again (after a recovery too).
     */
    void lost() {
        lastDeliveryNanos = 0;
    }

    /** Something was delivered to this process. */
    void delivered() {
        lastDeliveryNanos = System.nanoTime();
    }

    /** Connected and receiving nothing, not even heartbeats: another process is the active consumer. */
    boolean standingBy() {
        long last = lastDeliveryNanos;
        return last == 0 || System.nanoTime() - last > SILENCE.toNanos();
    }

    /** Publishes this process's heartbeat when one is due. */
    void beatWhenDue(Channel channel) {
        if (lastBeatNanos != 0 && System.nanoTime() - lastBeatNanos < HEARTBEAT_EVERY.toNanos()) {
            return;
        }
        lastBeatNanos = System.nanoTime();
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .type("ho.heartbeat")
                .userId(user)
                .expiration(String.valueOf(SILENCE.toMillis()))
                .build();
        byte[] body =
                ("{\"process\":\"" + process + "\",\"at\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8);
        try {
            channel.basicPublish(topology.salesExchange(), Topology.HEARTBEAT_ROUTING_KEY, false, properties, body);
        } catch (IOException | RuntimeException e) {
            log.debug("Could not publish the head office's heartbeat: {}", e.getMessage());
        }
    }
}
