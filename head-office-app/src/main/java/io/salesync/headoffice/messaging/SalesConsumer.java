package io.salesync.headoffice.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
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
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the head office's sales queue with manual acknowledgements and bounded prefetch, applies
 * changes in batches (one MySQL transaction each) and acknowledges a batch only after its commit.
 * Acknowledgements of committed batches are sent together, at most {@code ACK_EVERY} after the
 * commit (or once half the prefetch waits): fewer of them cost the broker less, and a committed
 * change that is redelivered because its acknowledgement was not sent yet changes nothing.
 *
 * <p>A message that cannot be decoded or validated, or that the head office refuses when it applies
 * it (see {@link ApplierLanes} and {@link ChangeApplier}), is republished with the reason in a header
 * to the dead-letter exchange ({@link DeadLetterPublisher}), logged, recorded, and acknowledged in
 * its turn; if even that fails, it is rejected without requeue, which dead-letters it through the
 * queue's own dead-letter exchange. A body over {@link SaleChangeCodec#MAX_BODY_BYTES} is not parsed,
 * and is rejected so at once when more than {@code OVERSIZED_BODIES_HELD} bytes of such bodies wait
 * already: their bytes are not kept. When the database is down the batch is kept and retried: nothing is
 * acknowledged, so nothing is lost, and the broker keeps the rest queued.
 *
 * <p>When RabbitMQ cancels the consumer (the queue was deleted), the consumer declares the topology
 * again and goes on. A queue that did not exist when the consumer declared it (deleted, or never
 * created) is reported to the {@link QueueListener}: whatever was queued in it is gone from the
 * broker, and the head office asks the branches for it again.
 *
 * <p>Threads: the client's dispatch thread decodes and checks each delivery and hands it over to a
 * queue, so that decoding the next messages overlaps the database work on the current batch; one
 * named thread ("ho-consumer") owns the channels, forms the batches, dead-letters and acknowledges;
 * the {@link ApplierLanes} ("ho-applier-N") apply the batches, each branch always on the same lane.
 * A delivery is acknowledged once it and every delivery before it are committed.
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
    private final Consumer<ConsumerStatus> statusListener;
    private final QueueListener queueListener;
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final Acknowledgements acknowledgements;
    /** Branches whose control queue this session has declared (consumer thread only). */
    private final ControlQueues controlQueues;
    private final DeliveryCheck deliveryCheck;
    private final Thread thread;
    private volatile boolean running = true;
    /** Why RabbitMQ cancelled the consumer, until the consumer thread has declared the queue again. */
    private volatile String cancelled;
    private volatile ConsumerStatus status = ConsumerStatus.starting();

    private Connection connection;
    private Channel consumeChannel;

    /**
     * @param appliers how many lanes apply batches at once (each holds a database connection while
     *                 it applies)
     */
    public SalesConsumer(BrokerConnector connector, Topology topology, ChangeApplier applier, IncomingChange incoming,
                         DatabaseSettings databaseSettings, int prefetch, int batchSize, Duration linger, int appliers,
                         Clock clock, Consumer<ConsumerStatus> statusListener, QueueListener queueListener) {
        this.connector = connector;
        this.topology = topology;
        this.lanes = new ApplierLanes(applier, appliers, batchSize, linger, databaseSettings, new ApplierLanes.DatabaseListener() {
            @Override
            public void problem(String sentence) {
                update(s -> s.withDatabaseProblem(sentence));
            }

            @Override
            public void committed() {
                deliveries.add(Delivery.WAKE);
                if (status.databaseProblem() != null) {
                    log.info("Aggregate database answers again; applied the change(s) held");
                    update(s -> s.withDatabaseProblem(null));
                }
            }
        }, clock);
        this.incoming = incoming;
        this.deadLetters = new DeadLetterPublisher(connector, topology, clock);
        this.acknowledgements = new Acknowledgements(prefetch, deadLetters);
        this.controlQueues = new ControlQueues(connector, topology);
        this.deliveryCheck = new DeliveryCheck(incoming);
        this.prefetch = prefetch;
        this.batchSize = batchSize;
        this.clock = clock;
        this.statusListener = statusListener;
        this.queueListener = queueListener;
        this.thread = new Thread(this::run, "ho-consumer");
    }

    public void start() {
        lanes.start();
        thread.start();
    }

    public ConsumerStatus status() {
        return status;
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
            log.warn("RabbitMQ cancelled the head office's consumer ({}); declaring {} again", cancel, topology.salesQueue());
            update(s -> s.withBroker(false, "RabbitMQ cancelled the consumer (" + cancel + "); declaring "
                    + topology.salesQueue() + " again", queuedDeliveries()));
            closeChannel(consumeChannel);
            consumeChannel = null;
        }
        if (consumeChannel != null && consumeChannel.isOpen()) {
            return true;
        }
        try {
            if (connection == null || !connection.isOpen() && !(connection instanceof Recoverable)) {
                closeConnection();
                connection = connector.connectWithRetry(() -> running,
                        reason -> update(s -> s.withBroker(false, reason, queuedDeliveries())));
                if (connection == null) {
                    return false;
                }
                watch(connection);
            }
            if (!connection.isOpen()) {
                Thread.sleep(500);
                return false;
            }
            openChannels();
            update(s -> s.withBroker(true, null, queuedDeliveries()));
            return true;
        } catch (IOException | RuntimeException e) {
            String problem = connector.describe(e);
            if (!problem.equals(status.brokerDetail())) {
                log.warn("Cannot consume from {}: {}", topology.salesQueue(), problem);
            } else {
                log.debug("Still cannot consume from {}: {}", topology.salesQueue(), problem);
            }
            update(s -> s.withBroker(false, problem, queuedDeliveries()));
            Thread.sleep(1_000);
            return false;
        }
    }

    /** Reports a lost connection and its recovery (the client recovers it by itself). */
    private void watch(Connection opened) {
        opened.addShutdownListener(cause -> {
            if (running && !cause.isInitiatedByApplication()) {
                // BrokerConnector says so once per outage, in words.
                log.debug("Lost the broker connection ({}); recovering", cause.getMessage());
                update(s -> s.withBroker(false, "connection lost: " + cause.getMessage(), queuedDeliveries()));
            }
        });
        if (opened instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    log.debug("Broker connection recovered");
                    update(s -> s.withBroker(true, null, queuedDeliveries()));
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    // reported by the shutdown listener
                }
            });
        }
    }

    private void openChannels() throws IOException {
        closeChannel(consumeChannel);
        deliveries.clear();
        acknowledgements.reset();
        deliveryCheck.reset();
        controlQueues.reset();
        boolean existed = queueExists();
        consumeChannel = connection.createChannel();
        topology.declare(consumeChannel);
        consumeChannel.basicQos(prefetch);
        consumeChannel.basicConsume(topology.salesQueue(), false, "salesync-head-office", new DefaultConsumer(consumeChannel) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                deliveries.add(deliveryCheck.check(envelope, properties, body));
            }

            @Override
            public void handleCancel(String consumerTag) {
                cancelled = "the queue was deleted";
                deliveries.add(Delivery.WAKE);
            }
        });
        log.info("Consuming {} (prefetch {}, batches of up to {}, {} applier(s))", topology.salesQueue(), prefetch, batchSize,
                lanes.size());
        if (!existed) {
            log.warn("The queue {} did not exist and was declared now: whatever was queued in it before is gone from"
                    + " RabbitMQ", topology.salesQueue());
            queueListener.queueCreated();
        }
    }

    /** Whether the sales queue exists, asked on a channel of its own (a missing queue closes it). */
    private boolean queueExists() throws IOException {
        Channel probe = connection.createChannel();
        try {
            probe.queueDeclarePassive(topology.salesQueue());
            return true;
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException signal && signal.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == AMQP.NOT_FOUND) {
                return false;
            }
            throw e;
        } finally {
            closeChannel(probe);
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
            Verdict verdict = delivery.verdict();
            boolean reject = delivery.rejectOnly();
            if (!verdict.accepted()) {
                log.warn("Dead-lettering message {} from {}: {}", delivery.properties().getMessageId(), delivery.routingKey(),
                        verdict.reason());
                reject = reject || !deadLetters.publish(delivery.routingKey(), delivery.properties(), delivery.body(),
                        verdict.reason());
                delivery = deliveryCheck.release(delivery); // republished, or rejected, which needs no bytes
            }
            Acknowledgements.Pending pending = acknowledgements.track(delivery, reject);
            if (verdict.accepted()) {
                controlQueues.ensure(connection, verdict.message().branchId());
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
            update(s -> s.withSettled(settled.applied(), settled.deadLettered(), clock.instant(), waiting));
        }
    }

    /** Applies a change to the status and tells the listener, only when something changed. */
    private void update(UnaryOperator<ConsumerStatus> change) {
        ConsumerStatus previous;
        ConsumerStatus next;
        synchronized (this) {
            previous = status;
            next = change.apply(previous);
            status = next;
        }
        if (!next.equals(previous)) {
            statusListener.accept(next);
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
            controlQueues.reset();
        }
    }
}
