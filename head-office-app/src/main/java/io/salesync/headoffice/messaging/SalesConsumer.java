package io.salesync.headoffice.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.ShutdownSignalException;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.headoffice.service.ChangeApplier;
import io.salesync.headoffice.service.ConsumerStatus;
import io.salesync.headoffice.service.IncomingChange;
import io.salesync.headoffice.service.IncomingChange.Verdict;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the head office's queue with manual acknowledgements and bounded prefetch, applies
 * changes in batches (one MySQL transaction each, {@link ApplierLanes}) and acknowledges them only
 * after their commit, in delivery order ({@link Acknowledgements}). A message the head office
 * refuses is dead-lettered with its reason ({@link DeadLetterPublisher}); while the database is
 * down the batch is held and nothing is acknowledged, so nothing is lost.
 *
 * <p>The queue has a single active consumer: any number of head-office processes consume it and one
 * receives ({@link ActiveConsumerWatch} tells which). When RabbitMQ cancels the consumer (the queue
 * was deleted), it declares the topology again and goes on; a queue it had to create is reported to
 * the {@link QueueListener} (what it held is gone from the broker), unless the queue of an earlier
 * version is there to drain ({@link LegacyQueue}).
 *
 * <p>Threads: the client's dispatch thread checks each delivery ({@link DeliveryCheck}) and hands it
 * over, so that decoding overlaps the database work; one named thread ("ho-consumer") owns the
 * channels, forms the batches, dead-letters and acknowledges; the lanes ("ho-applier-N") apply.
 */
public final class SalesConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SalesConsumer.class);

    /** Told when the head office's queue had to be created. */
    @FunctionalInterface
    public interface QueueListener {
        /**
         * The queue did not exist when the consumer declared it: deleted by someone, or never created
         * before. Called on the consumer's thread: hand slow work to another.
         */
        void queueCreated();
    }

    private final BrokerConnector connector;
    private final Topology topology;
    private final ApplierLanes lanes;
    private final IncomingChange incoming;
    private final DeadLetterPublisher deadLetters;
    private final int prefetch;
    private final int batchSize;
    private final Clock clock;
    private final QueueListener queueListener;
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final Acknowledgements acknowledgements;
    /** Branches whose control queue this session has declared (consumer thread only). */
    private final SecondaryTopology secondaryTopology;

    private final DeliveryCheck deliveryCheck;
    private final ActiveConsumerWatch watch;
    private final LegacyQueue legacyQueue;
    private final String consumerTag;
    private final String process;
    private final Thread thread;
    private volatile boolean running = true;
    /** Why RabbitMQ cancelled the consumer, until the consumer thread has declared the queue again. */
    private volatile String cancelled;

    private final ConsumerStatusBoard status;

    private Connection connection;
    private Channel consumeChannel;

    /**
     * @param appliers how many lanes apply batches at once (each holds a database connection while
     *                 it applies)
     */
    public SalesConsumer(
            BrokerConnector connector,
            Topology topology,
            ChangeApplier applier,
            IncomingChange incoming,
            DatabaseSettings databaseSettings,
            int prefetch,
            int batchSize,
            Duration linger,
            int appliers,
            Clock clock,
            Consumer<ConsumerStatus> statusListener,
            QueueListener queueListener) {
        this.connector = connector;
        this.topology = topology;
        this.status = new ConsumerStatusBoard(statusListener, this::queuedDeliveries);
        this.lanes = new ApplierLanes(
                applier,
                appliers,
                batchSize,
                linger,
                databaseSettings,
                new ApplierLanes.DatabaseListener() {
                    @Override
                    public void problem(String sentence) {
                        status.update(s -> s.withDatabaseProblem(sentence));
                    }

                    @Override
                    public void committed() {
                        deliveries.add(Delivery.WAKE);
                        if (status.current().databaseProblem() != null) {
                            log.info("Aggregate database answers again; applied the change(s) held");
                            status.update(s -> s.withDatabaseProblem(null));
                        }
                    }
                },
                clock);
        this.incoming = incoming;
        this.deadLetters = new DeadLetterPublisher(connector, topology, clock);
        this.acknowledgements = new Acknowledgements(prefetch, deadLetters);
        this.secondaryTopology = new SecondaryTopology(connector, topology);
        this.deliveryCheck = new DeliveryCheck(incoming);
        this.process = ActiveConsumerWatch.thisProcess();
        this.watch = new ActiveConsumerWatch(topology, connector.settings().user(), process);
        this.legacyQueue = new LegacyQueue(topology);
        this.consumerTag = "salesync-head-office-" + process;
        this.prefetch = prefetch;
        this.batchSize = batchSize;
        this.clock = clock;
        this.queueListener = queueListener;
        this.thread = new Thread(this::run, "ho-consumer");
    }

    public void start() {
        lanes.start();
        thread.start();
    }

    public ConsumerStatus status() {
        return status.current();
    }

    /** This process as the queue's consumers and heartbeats name it ({@code pid@host}). */
    public String process() {
        return process;
    }

    /** Stops consuming, finishes the batch in hand (unacknowledged ones are redelivered later) and closes. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (running) {
                if (!consuming()) {
                    continue;
                }
                List<Delivery> batch = nextBatch();
                if (!batch.isEmpty()) {
                    process(batch);
                }
                settleCommitted();
                acknowledgements.flush(consumeChannel, false);
                watch.beatWhenDue(consumeChannel);
                legacyQueue.deleteWhenDrained(
                        connection, consumeChannel, acknowledgements.inFlight() == 0 && deliveries.isEmpty());
                if (watch.standingBy() != status.current().standby()) {
                    status.update(s -> s.withStandby(watch.standingBy()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lanes.close();
            if (consumeChannel != null && consumeChannel.isOpen()) {
                settleCommitted();
                acknowledgements.flush(consumeChannel, true);
            }
            deadLetters.close();
            closeConnection();
            log.info("Head office consumer stopped");
        }
    }

    /** Makes sure a connection and the consume channel are open and consuming; starts again after a cancel. */
    private boolean consuming() throws InterruptedException {
        String cancel = cancelled;
        if (cancel != null) {
            cancelled = null;
            log.warn(
                    "RabbitMQ cancelled the head office's consumer ({}); declaring {} again",
                    cancel,
                    topology.salesQueue());
            status.broker(
                    false,
                    "RabbitMQ cancelled the consumer (" + cancel + "); declaring " + topology.salesQueue() + " again");
            closeChannel(consumeChannel);
            consumeChannel = null;
        }
        if (consumeChannel != null && consumeChannel.isOpen()) {
            return true;
        }
        try {
            if (connection == null || !connection.isOpen() && !(connection instanceof Recoverable)) {
                closeConnection();
                connection = connector.connectWithRetry(() -> running, reason -> status.broker(false, reason));
                if (connection == null) {
                    return false;
                }
                status.watch(connection, () -> running, watch::lost, watch::standingBy);
            }
            if (!connection.isOpen()) {
                Thread.sleep(500);
                return false;
            }
            openChannels();
            status.update(s -> s.withBroker(true, null, queuedDeliveries()).withStandby(watch.standingBy()));
            return true;
        } catch (IOException | RuntimeException e) {
            String problem = connector.describe(e);
            if (!problem.equals(status.current().brokerDetail())) {
                log.warn("Cannot consume from {}: {}", topology.salesQueue(), problem);
            } else {
                log.debug("Still cannot consume from {}: {}", topology.salesQueue(), problem);
            }
            status.broker(false, problem);
            Thread.sleep(1_000);
            return false;
        }
    }

    private void openChannels() throws IOException {
        closeChannel(consumeChannel);
        deliveries.clear();
        acknowledgements.reset();
        deliveryCheck.reset();
        secondaryTopology.reset();
        boolean existed = LegacyQueue.exists(connection, topology.salesQueue());
        consumeChannel = connection.createChannel();
        topology.declareSales(consumeChannel);
        secondaryTopology.declareDeadLetters(connection);
        consumeChannel.basicQos(prefetch);
        DefaultConsumer consumer = new DefaultConsumer(consumeChannel) {
            @Override
            public void handleDelivery(
                    String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                watch.delivered();
                deliveries.add(deliveryCheck.check(envelope, properties, body));
            }

            /**
             * The client calls this after every delivery the channel had already read: a process
             * resumed after a freeze reads deliveries from before it, which do not make it active.
             */
            @Override
            public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
                watch.lost();
            }

            @Override
            public void handleCancel(String consumerTag) {
                if (!LegacyQueue.CONSUMER_TAG.equals(consumerTag)) {
                    cancelled = "the queue was deleted";
                    deliveries.add(Delivery.WAKE);
                }
            }
        };
        watch.opened();
        consumeChannel.basicConsume(topology.salesQueue(), false, consumerTag, consumer);
        log.info(
                "Consuming {} (prefetch {}, batches of up to {}, {} applier(s))",
                topology.salesQueue(),
                prefetch,
                batchSize,
                lanes.size());
        boolean earlierQueue = legacyQueue.drainIfPresent(connection, consumeChannel, consumer);
        if (!existed && !earlierQueue) {
            log.warn(
                    "The queue {} did not exist and was declared now: whatever was queued in it before is gone from"
                            + " RabbitMQ",
                    topology.salesQueue());
            queueListener.queueCreated();
        }
    }

    /** Waits up to a second for a first delivery, then takes what else has arrived (the lanes linger, not this). */
    private List<Delivery> nextBatch() throws InterruptedException {
        List<Delivery> batch = new ArrayList<>(batchSize);
        long wait = acknowledgements.waitNanos(TimeUnit.SECONDS.toNanos(1));
        Delivery first = deliveries.poll(wait, TimeUnit.NANOSECONDS);
        if (first == null || first == Delivery.WAKE) {
            return batch;
        }
        batch.add(first);
        deliveries.drainTo(batch, batchSize - 1);
        batch.removeIf(delivery -> delivery == Delivery.WAKE);
        return batch;
    }

    /** Dead-letters the refused and hands every delivery to the lanes, which apply it (retrying while the database is down). */
    private void process(List<Delivery> batch) {
        Instant now = clock.instant();
        for (Delivery received : batch) {
            Delivery delivery = received;
            if (delivery.verdict().heartbeat()) {
                acknowledgements.track(delivery, false).committed();
                continue;
            }
            Verdict verdict = delivery.verdict();
            boolean reject = delivery.rejectOnly();
            if (!verdict.accepted()) {
                log.warn(
                        "Dead-lettering message {} from {}: {}",
                        delivery.properties().getMessageId(),
                        delivery.routingKey(),
                        verdict.reason());
                reject = reject
                        || !deadLetters.publish(
                                delivery.routingKey(), delivery.properties(), delivery.body(), verdict.reason());
                delivery = deliveryCheck.release(delivery); // republished, or rejected, which needs no bytes
            }
            Acknowledgements.Pending pending = acknowledgements.track(delivery, reject);
            if (verdict.accepted()) {
                secondaryTopology.ensure(connection, verdict.message().branchId());
                lanes.submit(verdict.message(), pending);
            } else {
                lanes.submitDeadLetter(delivery.deadLetter(verdict.reason(), now), pending);
            }
        }
    }

    /** Deliveries received and not taken yet; the wake-up markers are not deliveries. */
    private int queuedDeliveries() {
        int queued = 0;
        for (Delivery delivery : deliveries) {
            if (delivery != Delivery.WAKE) {
                queued++;
            }
        }
        return queued;
    }

    /** Settles the committed deliveries (see {@link Acknowledgements}) and counts them in the status. */
    private void settleCommitted() {
        Acknowledgements.Settled settled = acknowledgements.settle(consumeChannel);
        if (settled.deliveries() > 0) {
            int waiting = acknowledgements.inFlight() + queuedDeliveries();
            status.update(s -> s.withSettled(settled.applied(), settled.deadLettered(), clock.instant(), waiting));
        }
    }

    private static void closeChannel(Channel channel) {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                log.debug("Closing a channel: {}", e.getMessage());
            }
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the broker connection: {}", e.getMessage());
            }
            connection = null;
            consumeChannel = null;
            secondaryTopology.reset();
        }
    }
}
