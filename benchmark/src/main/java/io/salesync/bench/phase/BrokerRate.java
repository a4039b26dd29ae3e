package io.salesync.bench.phase;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import io.salesync.bench.Services;
import io.salesync.bench.report.Figures.BrokerCeiling;
import io.salesync.bench.report.Figures.Percentiles;
import io.salesync.bench.report.Figures.Rate;
import io.salesync.bench.report.Stats;
import io.salesync.common.amqp.MessageHeaders;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.SaleChange;
import java.io.IOException;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The broker's own rate for messages like ours, with no database anywhere: persistent, mandatory,
 * published with confirms (at most {@value #WINDOW} unconfirmed, the relay's default) through a
 * topic exchange into a quorum queue declared exactly as the head office's, and consumed with
 * manual acknowledgements (prefetch {@value #PREFETCH}, one multiple-ack per {@value #ACK_EVERY},
 * as the head office does).
 */
final class BrokerRate {

    static final int WINDOW = 2_000;
    static final int PREFETCH = 1_000;
    static final int ACK_EVERY = 500;

    private final Services services;
    private final Topology topology;
    private final byte[] body;
    private final String user;

    BrokerRate(Services services, Topology topology, byte[] body) {
        this.services = services;
        this.topology = topology;
        this.body = body;
        this.user = services.endpoints().amqpUser();
    }

    BrokerCeiling measure(int messages, int latencyRate, int latencySeconds) throws Exception {
        try (Connection connection = services.amqp("ceiling-publisher");
                Connection consumerConnection = services.amqp("ceiling-consumer")) {
            Channel setup = connection.createChannel();
            topology.declare(setup);
            setup.queuePurge(topology.salesQueue());
            setup.close();

            long start = System.nanoTime();
            publish(connection, messages);
            Rate publish = Rate.of(messages, System.nanoTime() - start);

            Consuming drain = consume(consumerConnection, messages);
            Rate drained = Rate.of(messages, drain.await());

            Consuming both = consume(consumerConnection, messages);
            long bothStart = System.nanoTime();
            publish(connection, messages);
            both.await();
            Rate publishAndConsume = Rate.of(messages, both.lastAckNanos() - bothStart);

            Percentiles[] latency = latency(connection, consumerConnection, latencyRate, latencySeconds);
            return new BrokerCeiling(
                    body.length, publish, drained, publishAndConsume, latencyRate, latency[0], latency[1]);
        } finally {
            services.withChannel("ceiling-cleanup", channel -> {
                channel.queueDelete(topology.salesQueue());
                channel.queueDelete(topology.deadLetterQueue());
                channel.exchangeDelete(topology.salesExchange());
                channel.exchangeDelete(topology.deadLetterExchange());
            });
        }
    }

    /**
     * Publishes at a fixed rate (confirms asynchronous, as the relay does) to a consumer that acks each
     * message; returns the publish-to-delivery and publish-to-confirm times in milliseconds.
     */
    private Percentiles[] latency(Connection connection, Connection consumerConnection, int rate, int seconds)
            throws Exception {
        int count = Math.max(1, rate * seconds);
        long[] published = new long[count];
        long[] delivered = new long[count];
        long[] confirmed = new long[count];
        CountDownLatch all = new CountDownLatch(count);
        Channel consumer = consumerConnection.createChannel();
        consumer.basicQos(PREFETCH);
        consumer.basicConsume(topology.salesQueue(), false, new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] payload)
                    throws IOException {
                long now = System.nanoTime();
                String id = properties.getMessageId();
                delivered[Integer.parseInt(id.substring(id.indexOf(':') + 1))] = now;
                getChannel().basicAck(envelope.getDeliveryTag(), false);
                all.countDown();
            }
        });
        Channel channel = connection.createChannel();
        channel.confirmSelect();
        ConcurrentNavigableMap<Long, Integer> outstanding = new ConcurrentSkipListMap<>();
        channel.addConfirmListener(
                (tag, multiple) -> {
                    long now = System.nanoTime();
                    var settled = multiple ? outstanding.headMap(tag, true) : outstanding.subMap(tag, true, tag, true);
                    settled.values().forEach(index -> confirmed[index] = now);
                    settled.clear();
                },
                (tag, multiple) -> {});
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            outstanding.put(channel.getNextPublishSeqNo(), i);
            published[i] = System.nanoTime();
            channel.basicPublish(
                    topology.salesExchange(), Topology.routingKey("latency"), true, properties("latency", i), body);
        }
        if (!all.await(60, TimeUnit.SECONDS)) {
            throw new TimeoutException("the latency consumer did not receive every message within 60 s");
        }
        channel.waitForConfirms(10_000);
        channel.close();
        consumer.close();
        double[] toDelivery = new double[count];
        double[] toConfirm = new double[count];
        for (int i = 0; i < count; i++) {
            toDelivery[i] = (delivered[i] - published[i]) / 1e6;
            toConfirm[i] = (confirmed[i] - published[i]) / 1e6;
        }
        return new Percentiles[] {Stats.percentiles(toDelivery), Stats.percentiles(toConfirm)};
    }

    private AMQP.BasicProperties properties(String source, int index) {
        return MessageProperties.PERSISTENT_BASIC
                .builder()
                .contentType(SaleChangeCodec.CONTENT_TYPE)
                .contentEncoding("utf-8")
                .messageId(SaleChange.messageId(source, index))
                .type(SaleChange.MESSAGE_TYPE)
                .userId(user)
                .appId("salesync-bench")
                .timestamp(new Date())
                .headers(Map.of(MessageHeaders.SCHEMA_VERSION, SaleChangeCodec.SCHEMA_VERSION))
                .build();
    }

    /** Publishes with confirms, keeping at most {@value #WINDOW} unconfirmed; returns once all are confirmed. */
    private void publish(Connection connection, int messages)
            throws IOException, InterruptedException, TimeoutException {
        Channel channel = connection.createChannel();
        try {
            channel.confirmSelect();
            Semaphore room = new Semaphore(WINDOW);
            ConcurrentNavigableMap<Long, Boolean> outstanding = new ConcurrentSkipListMap<>();
            AtomicLong failures = new AtomicLong();
            channel.addConfirmListener((tag, multiple) -> settle(outstanding, room, tag, multiple), (tag, multiple) -> {
                failures.incrementAndGet();
                settle(outstanding, room, tag, multiple);
            });
            channel.addReturnListener(returned -> failures.incrementAndGet());
            for (int i = 0; i < messages; i++) {
                room.acquire();
                outstanding.put(channel.getNextPublishSeqNo(), Boolean.TRUE);
                channel.basicPublish(
                        topology.salesExchange(), Topology.routingKey("ceiling"), true, properties("ceiling", i), body);
            }
            if (!room.tryAcquire(WINDOW, 120, TimeUnit.SECONDS)) {
                throw new TimeoutException(
                        "the broker did not confirm " + outstanding.size() + " message(s) within 120 s");
            }
            if (failures.get() > 0) {
                throw new IllegalStateException(
                        "the broker refused or returned " + failures.get() + " ceiling message(s)");
            }
        } finally {
            channel.close();
        }
    }

    private static void settle(
            ConcurrentNavigableMap<Long, Boolean> outstanding, Semaphore room, long tag, boolean multiple) {
        var settled = multiple ? outstanding.headMap(tag, true) : outstanding.subMap(tag, true, tag, true);
        int n = settled.size();
        settled.clear();
        room.release(n);
    }

    /** A consumer that acknowledges every {@value #ACK_EVERY} deliveries (and the last one) with one multiple-ack. */
    private final class Consuming {
        private final CountDownLatch done = new CountDownLatch(1);
        private final long started = System.nanoTime();
        private final Channel channel;
        private volatile long lastAckNanos;

        Consuming(Channel channel, int expected) throws IOException {
            this.channel = channel;
            channel.basicQos(PREFETCH);
            channel.basicConsume(topology.salesQueue(), false, new DefaultConsumer(channel) {
                private long received;

                @Override
                public void handleDelivery(
                        String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] payload)
                        throws IOException {
                    received++;
                    if (received % ACK_EVERY == 0 || received == expected) {
                        getChannel().basicAck(envelope.getDeliveryTag(), true);
                    }
                    if (received == expected) {
                        lastAckNanos = System.nanoTime();
                        done.countDown();
                    }
                }
            });
        }

        /** Waits for the last delivery; the time from subscribing to the last ack. */
        long await() throws InterruptedException, IOException, TimeoutException {
            if (!done.await(300, TimeUnit.SECONDS)) {
                throw new TimeoutException("the ceiling consumer did not receive every message within 300 s");
            }
            channel.close();
            return lastAckNanos - started;
        }

        long lastAckNanos() {
            return lastAckNanos;
        }
    }

    private Consuming consume(Connection connection, int expected) throws IOException {
        return new Consuming(connection.createChannel(), expected);
    }
}
