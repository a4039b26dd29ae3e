package io.salesync.bench.window;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.salesync.bench.workload.SaleGenerator;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.headoffice.config.HeadOfficeConfig;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Queues the consumer phase's changes: new sales of branch {@link WindowBenchOptions#liveBranch()},
 * published as that branch would (persistent, mandatory, confirmed), into the head office's queue
 * emptied first. They are sent as the head office's own broker user, whose messages the head office
 * accepts for any branch; the broker checks that {@code user_id} as for any message.
 */
final class BacklogPublisher {

    private final HeadOfficeConfig config;
    private final String branch;
    private final PrintStream out;

    BacklogPublisher(HeadOfficeConfig config, String branch, PrintStream out) {
        this.config = config;
        this.branch = branch;
        this.out = out;
    }

    /** Publishes {@code changes} new sales and waits for the broker's confirms. */
    void publish(int changes) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(config.broker().uri());
        factory.setUsername(config.broker().user());
        factory.setPassword(config.broker().password());
        Topology topology = new Topology(config.broker().prefix());
        SaleChangeCodec codec = new SaleChangeCodec();
        Random random = new Random(7);
        long start = System.nanoTime();
        try (Connection connection = factory.newConnection("salesync-bench-publisher");
                Channel channel = connection.createChannel()) {
            topology.declare(channel);
            channel.queuePurge(topology.salesQueue());
            channel.confirmSelect();
            for (int i = 0; i < changes; i++) {
                Sale sale = Sale.create(
                        UUID.randomUUID(),
                        branch,
                        new SaleInput(
                                LocalDate.now(),
                                SaleGenerator.region(random),
                                SaleGenerator.product(random),
                                1 + random.nextInt(20),
                                BigDecimal.valueOf(50 + random.nextInt(50_000), 2)),
                        AggregateFill.RATE);
                // numbered from 1, as a new branch's are: every run starts without the branch's progress
                SaleChange change = SaleChange.of(i + 1, Instant.now(), sale);
                channel.basicPublish(
                        topology.salesExchange(),
                        Topology.routingKey(branch),
                        true,
                        new AMQP.BasicProperties.Builder()
                                .deliveryMode(2)
                                .contentType("application/json")
                                .userId(config.broker().user())
                                .type(SaleChange.MESSAGE_TYPE)
                                .messageId(change.messageId())
                                .build(),
                        codec.encode(change));
                if (i % 5_000 == 4_999) {
                    channel.waitForConfirmsOrDie(30_000);
                }
            }
            channel.waitForConfirmsOrDie(30_000);
        }
        out.printf(
                Locale.ROOT,
                "queued %,d changes for the consumer in %,.0f ms%n",
                changes,
                (System.nanoTime() - start) / 1e6);
    }
}
