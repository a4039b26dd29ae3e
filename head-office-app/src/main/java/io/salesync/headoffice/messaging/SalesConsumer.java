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
import io.salesync.common.event.SaleChange;
import io.salesync.headoffice.persistence.AggregateRepository.DeadLetter;
import io.salesync.headoffice.service.ChangeApplier;
import io.salesync.headoffice.service.ConsumerStatus;
import io.salesync.headoffice.service.IncomingChange;
import io.salesync.headoffice.service.IncomingChange.Verdict;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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
    private static final Duration ACK_EVERY = Duration.ofMillis(20);
    /**
     * Bytes of bodies over the limit kept at once to dead-letter them with their reason; beyond it
     * they are rejected, bytes not kept, so that a flood of large messages cannot exhaust memory.
     */
    private static final long OVERSIZED_BODIES_HELD = 8L << 20;

    /** Told when the head office's queue had to be created. */
    @FunctionalInterface
    public interface QueueListener {
        /**
         * The queue did not exist when the consumer declared it: deleted by someone, or never created
         * before. Called on the consumer's thread: hand slow work to another.
         */
        void queueCreated();
    }

    /**
     * A delivery as the dispatch thread checked it. {@code body} is null when it was too large to keep;
     * {@code rejectOnly} then sends it to the queue's own dead-letter exchange, bytes and all.
     */
    private record Delivery(long tag, String routingKey, AMQP.BasicProperties properties, byte[] body, int bodySize,
                            Verdict verdict, boolean rejectOnly) {

        Delivery withoutBody() {
            return new Delivery(tag, routingKey, properties, null, bodySize, verdict, rejectOnly);
        }
    }

    /** Put in the delivery queue to wake the consumer thread (a lane committed, the consumer was cancelled). */
    private static final Delivery WAKE = new Delivery(0, null, null, null, 0, null, false);

    /**
     * A delivery handed to the lanes: acknowledged (or, when it could not be dead-lettered with its
     * reason, rejected) once it and every delivery before it are committed.
     */
    private final class Pending implements ApplierLanes.Delivered {
        final Delivery delivery;
        final boolean saleChange;
        final boolean refusedAtCheck;
        boolean reject;
        volatile String refusedBecause;
        volatile boolean committed;

        Pending(Delivery delivery, boolean reject) {
            this.delivery = delivery;
            this.saleChange = delivery.verdict().message() instanceof SaleChange;
            this.refusedAtCheck = !delivery.verdict().accepted();
            this.reject = reject;
        }

        @Override
        public void committed() {
            committed = true;
        }

        @Override
        public void refused(String reason) {
            refusedBecause = reason;
        }

        @Override
        public DeadLetter deadLetter(String reason, Instant at) {
            return deadLetterOf(delivery, reason, at);
        }
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
    /** Deliveries handed to the lanes, in delivery order (consumer thread only). */
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    /** Branches whose control queue this session has declared (consumer thread only). */
    private final Set<String> controlQueues = new HashSet<>();
    private final AtomicLong oversizedHeld = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    /** Why RabbitMQ cancelled the consumer, until the consumer thread has declared the queue again. */
    private volatile String cancelled;
    private volatile ConsumerStatus status = ConsumerStatus.starting();

    private Connection connection;
    private Channel consumeChannel;
    /** For declaring branches' control queues; its failure must not close the consume channel. */
    private Channel topologyChannel;
    /** Highest delivery tag of the consume channel committed but not acknowledged yet, 0 when none. */
    private long ackPending;
    private int ackPendingCount;
    private long ackPendingSinceNanos;

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
                deliveries.add(WAKE);
                if (status.databaseProblem() != null) {
                    log.info("Aggregate database answers again; applied the change(s) held");
                    update(s -> s.withDatabaseProblem(null));
                }
            }
        }, clock);
        this.incoming = incoming;
        this.deadLetters = new DeadLetterPublisher(connector, topology, clock);
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
                flushAcks(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lanes.close();
            if (consumeChannel != null && consumeChannel.isOpen()) {
                settleCommitted();
                flushAcks(true);
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
        closeChannel(topologyChannel);
        topologyChannel = null;
        deliveries.clear();
        inFlight.clear(); // tags belong to the channel: the broker redelivers what the old one held
        oversizedHeld.set(0);
        ackPending = 0;
        ackPendingCount = 0;
        controlQueues.clear();
        boolean existed = queueExists();
        consumeChannel = connection.createChannel();
        topology.declare(consumeChannel);
        consumeChannel.basicQos(prefetch);
        consumeChannel.basicConsume(topology.salesQueue(), false, "salesync-head-office", new DefaultConsumer(consumeChannel) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                deliveries.add(delivery(envelope, properties, body));
            }

            @Override
            public void handleCancel(String consumerTag) {
                cancelled = "the queue was deleted";
                deliveries.add(WAKE);
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

    /** Checks a delivery (dispatch thread); a body over the limit is not kept, nor parsed. */
    private Delivery delivery(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        String routingKey = envelope.getRoutingKey();
        if (body.length > SaleChangeCodec.MAX_BODY_BYTES) {
            boolean keep = oversizedHeld.addAndGet(body.length) <= OVERSIZED_BODIES_HELD;
            if (!keep) {
                oversizedHeld.addAndGet(-body.length);
            }
            return new Delivery(envelope.getDeliveryTag(), routingKey, properties, keep ? body : null, body.length,
                    new Verdict(null, "body of " + body.length + " bytes exceeds the limit of " + SaleChangeCodec.MAX_BODY_BYTES),
                    !keep);
        }
        Verdict verdict;
        try {
            verdict = incoming.check(body, routingKey, properties.getType(), properties.getUserId());
        } catch (RuntimeException e) {
            log.error("Checking message {} from {} failed", properties.getMessageId(), routingKey, e);
            verdict = new Verdict(null, "could not be checked: " + e);
        }
        return new Delivery(envelope.getDeliveryTag(), routingKey, properties, body, body.length, verdict, false);
    }

    /** Waits up to a second for a first delivery, then takes what else has arrived (the lanes linger, not this). */
    private List<Delivery> nextBatch() throws InterruptedException {
        List<Delivery> batch = new ArrayList<>(batchSize);
        long wait = ackPending == 0 ? TimeUnit.SECONDS.toNanos(1)
                : Math.max(0, ACK_EVERY.toNanos() - (System.nanoTime() - ackPendingSinceNanos));
        Delivery first = deliveries.poll(wait, TimeUnit.NANOSECONDS);
        if (first == null || first == WAKE) {
            return batch;
        }
        batch.add(first);
        deliveries.drainTo(batch, batchSize - 1);
        batch.removeIf(delivery -> delivery == WAKE);
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
                if (delivery.body() != null && delivery.bodySize() > SaleChangeCodec.MAX_BODY_BYTES) {
                    // republished (or to be rejected, which needs no bytes): they need not wait for the ack
                    oversizedHeld.addAndGet(-delivery.bodySize());
                    delivery = delivery.withoutBody();
                }
            }
            Pending pending = new Pending(delivery, reject);
            inFlight.add(pending);
            if (verdict.accepted()) {
                declareControlQueue(verdict.message().branchId());
                lanes.submit(verdict.message(), pending);
            } else {
                lanes.submitDeadLetter(deadLetterOf(delivery, verdict.reason(), now), pending);
            }
        }
    }

    /**
     * Declares a branch's control queue the first time this session hears from it, so that the
     * branch, which may create nothing itself, can listen for the head office's requests.
     */
    private void declareControlQueue(String branchId) {
        if (controlQueues.contains(branchId)) {
            return;
        }
        try {
            if (topologyChannel == null || !topologyChannel.isOpen()) {
                topologyChannel = connection.createChannel();
            }
            topology.declareControlQueue(topologyChannel, branchId);
            controlQueues.add(branchId);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not declare the control queue of branch {} ({}); trying again with its next message", branchId,
                    connector.describe(e));
            closeChannel(topologyChannel);
            topologyChannel = null;
        }
    }

    private DeadLetter deadLetterOf(Delivery delivery, String reason, Instant at) {
        AMQP.BasicProperties properties = delivery.properties();
        return new DeadLetter(at, delivery.routingKey(), properties.getMessageId(), Topology.branchOf(delivery.routingKey()),
                reason, delivery.body(), properties.getContentType(), properties.getType());
    }

    /** Deliveries received and not taken yet; the wake-up markers are not deliveries. */
    private int queuedDeliveries() {
        int queued = 0;
        for (Delivery delivery : deliveries) {
            if (delivery != WAKE) {
                queued++;
            }
        }
        return queued;
    }

    /**
     * Acknowledges (or rejects) the committed deliveries that no uncommitted one precedes; a message
     * the lanes refused is first republished to the dead-letter exchange with its reason.
     */
    private void settleCommitted() {
        int settled = 0;
        long saleChanges = 0;
        int refused = 0;
        while (!inFlight.isEmpty() && inFlight.peekFirst().committed) {
            Pending pending = inFlight.removeFirst();
            String reason = pending.refusedBecause;
            if (reason != null && !pending.reject) {
                pending.reject = !deadLetters.publish(pending.delivery.routingKey(), pending.delivery.properties(),
                        pending.delivery.body(), reason);
            }
            settle(pending);
            settled++;
            boolean wasRefused = pending.refusedAtCheck || reason != null;
            saleChanges += pending.saleChange && !wasRefused ? 1 : 0;
            refused += wasRefused ? 1 : 0;
        }
        if (settled > 0) {
            long applied = saleChanges;
            int deadLettered = refused;
            int waiting = inFlight.size() + queuedDeliveries();
            update(s -> s.withSettled(applied, deadLettered, clock.instant(), waiting));
        }
    }

    /**
     * Rejects a committed delivery that could not be dead-lettered with its reason, or notes its tag
     * for the next acknowledgement: a multiple ack covers only what is still outstanding, so a
     * rejected one is not acknowledged with it.
     */
    private void settle(Pending pending) {
        long tag = pending.delivery.tag();
        if (pending.reject) {
            try {
                consumeChannel.basicReject(tag, false);
            } catch (IOException | RuntimeException e) {
                log.warn("Could not reject message {} ({}); the broker will redeliver it", tag, e.getMessage());
            }
            return;
        }
        if (ackPending == 0) {
            ackPendingSinceNanos = System.nanoTime();
        }
        ackPending = Math.max(ackPending, tag);
        ackPendingCount++;
    }

    /** Acknowledges the committed deliveries when they have waited long enough, or many are waiting, or {@code now}. */
    private void flushAcks(boolean now) {
        if (ackPending == 0 || !now && ackPendingCount < prefetch / 2
                && System.nanoTime() - ackPendingSinceNanos < ACK_EVERY.toNanos()) {
            return;
        }
        try {
            consumeChannel.basicAck(ackPending, true);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not acknowledge {} applied message(s) ({}); the broker will redeliver them and applying them again changes nothing",
                    ackPendingCount, e.getMessage());
        }
        ackPending = 0;
        ackPendingCount = 0;
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
            topologyChannel = null;
        }
    }
}
