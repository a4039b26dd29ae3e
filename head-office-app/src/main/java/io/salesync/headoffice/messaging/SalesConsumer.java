package io.salesync.headoffice.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.MessageHeaders;
import io.salesync.common.amqp.Topology;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the head office's sales queue with manual acknowledgements and bounded prefetch, applies
 * changes in batches (one MySQL transaction each) and acknowledges a batch only after its commit.
 * Acknowledgements of committed batches are sent together, at most {@code ACK_EVERY} after the
 * commit (or once half the prefetch waits): fewer of them cost the broker less, and a committed
 * change that is redelivered because its acknowledgement was not sent yet changes nothing.
 *
 * <p>A message that cannot be decoded or validated is republished, with the reason in a header, to
 * the dead-letter exchange (confirmed), logged, and acknowledged with its batch; if even that fails
 * it is rejected without requeue, which dead-letters it through the queue's own DLX. When the
 * database is down the batch is kept and retried: nothing is acknowledged, so nothing is lost, and
 * the broker keeps the rest queued.
 *
 * <p>Threads: the client's dispatch thread decodes and checks each delivery and hands it over to a
 * queue, so that decoding the next messages overlaps the database work on the current batch; one
 * named thread ("ho-consumer") owns both channels, forms the batches, dead-letters and acknowledges;
 * the {@link ApplierLanes} ("ho-applier-N") apply the batches, each branch always on the same lane.
 * A delivery is acknowledged once it and every delivery before it are committed.
 */
public final class SalesConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SalesConsumer.class);
    private static final Duration ACK_EVERY = Duration.ofMillis(20);

    private record Delivery(long tag, String routingKey, AMQP.BasicProperties properties, byte[] body, Verdict verdict) {
    }

    /** Put in the delivery queue when a lane committed a batch, so that the consumer acknowledges it. */
    private static final Delivery COMMITTED = new Delivery(0, null, null, null, null);

    /**
     * A delivery handed to the lanes: acknowledged (or, when it could not be dead-lettered with its
     * reason, rejected) once it and every delivery before it are committed.
     */
    private static final class Pending implements ApplierLanes.Committed {
        final long tag;
        final boolean saleChange;
        final boolean refused;
        final boolean reject;
        volatile boolean committed;

        Pending(long tag, boolean saleChange, boolean refused, boolean reject) {
            this.tag = tag;
            this.saleChange = saleChange;
            this.refused = refused;
            this.reject = reject;
        }

        @Override
        public void committed() {
            committed = true;
        }
    }

    private final BrokerConnector connector;
    private final Topology topology;
    private final ApplierLanes lanes;
    private final IncomingChange incoming;
    private final int prefetch;
    private final int batchSize;
    private final Clock clock;
    private final Consumer<ConsumerStatus> statusListener;
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    /** Deliveries handed to the lanes, in delivery order (consumer thread only). */
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile ConsumerStatus status = new ConsumerStatus(false, "starting", null, 0, 0, null, 0);

    private Connection connection;
    private Channel consumeChannel;
    private Channel deadLetterChannel;
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
                         Clock clock, Consumer<ConsumerStatus> statusListener) {
        this.connector = connector;
        this.topology = topology;
        this.lanes = new ApplierLanes(applier, appliers, batchSize, linger, databaseSettings, new ApplierLanes.DatabaseListener() {
            @Override
            public void problem(String sentence) {
                update(s -> new ConsumerStatus(s.brokerConnected(), s.brokerDetail(), sentence, s.appliedChanges(),
                        s.deadLettered(), s.lastAppliedAt(), s.waiting()));
            }

            @Override
            public void committed() {
                deliveries.add(COMMITTED);
                if (status.databaseProblem() != null) {
                    log.info("Aggregate database answers again; applied the change(s) held");
                    update(s -> new ConsumerStatus(s.brokerConnected(), s.brokerDetail(), null, s.appliedChanges(),
                            s.deadLettered(), s.lastAppliedAt(), s.waiting()));
                }
            }
        });
        this.incoming = incoming;
        this.prefetch = prefetch;
        this.batchSize = batchSize;
        this.clock = clock;
        this.statusListener = statusListener;
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
            closeConnection();
            log.info("Head office consumer stopped");
        }
    }

    /** Makes sure a connection and both channels are open and consuming; reopens channels the broker closed. */
    private boolean consuming() throws InterruptedException {
        if (consumeChannel != null && consumeChannel.isOpen() && deadLetterChannel.isOpen()) {
            return true;
        }
        try {
            if (connection == null || !connection.isOpen() && !isRecovering()) {
                closeConnection();
                connection = connector.connectWithRetry(() -> running,
                        reason -> update(s -> new ConsumerStatus(false, reason, s.databaseProblem(), s.appliedChanges(),
                                s.deadLettered(), s.lastAppliedAt(), queuedDeliveries())));
                if (connection == null) {
                    return false;
                }
                connection.addShutdownListener(cause -> {
                    if (running && !cause.isInitiatedByApplication()) {
                        log.warn("Lost the broker connection ({}); recovering", cause.getMessage());
                        update(s -> new ConsumerStatus(false, "connection lost: " + cause.getMessage(), s.databaseProblem(),
                                s.appliedChanges(), s.deadLettered(), s.lastAppliedAt(), queuedDeliveries()));
                    }
                });
                ((com.rabbitmq.client.Recoverable) connection).addRecoveryListener(new com.rabbitmq.client.RecoveryListener() {
                    @Override
                    public void handleRecovery(com.rabbitmq.client.Recoverable recoverable) {
                        log.info("Broker connection recovered");
                        update(s -> new ConsumerStatus(true, null, s.databaseProblem(), s.appliedChanges(),
                                s.deadLettered(), s.lastAppliedAt(), queuedDeliveries()));
                    }

                    @Override
                    public void handleRecoveryStarted(com.rabbitmq.client.Recoverable recoverable) {
                        // reported by the shutdown listener
                    }
                });
            }
            if (!connection.isOpen()) {
                Thread.sleep(500);
                return false;
            }
            openChannels();
            update(s -> new ConsumerStatus(true, null, s.databaseProblem(), s.appliedChanges(), s.deadLettered(),
                    s.lastAppliedAt(), queuedDeliveries()));
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot consume from {}: {}", topology.salesQueue(), connector.describe(e));
            update(s -> new ConsumerStatus(false, connector.describe(e), s.databaseProblem(), s.appliedChanges(),
                    s.deadLettered(), s.lastAppliedAt(), queuedDeliveries()));
            Thread.sleep(1_000);
            return false;
        }
    }

    private boolean isRecovering() {
        return connection instanceof com.rabbitmq.client.Recoverable;
    }

    private void openChannels() throws IOException {
        closeChannel(consumeChannel);
        closeChannel(deadLetterChannel);
        deliveries.clear();
        inFlight.clear(); // tags belong to the channel: the broker redelivers what the old one held
        ackPending = 0;
        ackPendingCount = 0;
        deadLetterChannel = connection.createChannel();
        deadLetterChannel.confirmSelect();
        consumeChannel = connection.createChannel();
        topology.declare(consumeChannel);
        consumeChannel.basicQos(prefetch);
        consumeChannel.basicConsume(topology.salesQueue(), false, "salesync-head-office", new DefaultConsumer(consumeChannel) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                deliveries.add(new Delivery(envelope.getDeliveryTag(), envelope.getRoutingKey(), properties, body,
                        check(envelope.getRoutingKey(), properties, body)));
            }
        });
        log.info("Consuming {} (prefetch {}, batches of up to {}, {} applier(s))", topology.salesQueue(), prefetch, batchSize,
                lanes.size());
    }

    /** Decodes and checks a delivery (dispatch thread); a check that fails unexpectedly refuses the message. */
    private Verdict check(String routingKey, AMQP.BasicProperties properties, byte[] body) {
        try {
            return incoming.check(body, routingKey, properties.getType(), properties.getUserId());
        } catch (RuntimeException e) {
            log.error("Checking message {} from {} failed", properties.getMessageId(), routingKey, e);
            return new Verdict(null, "could not be checked: " + e);
        }
    }

    /** Waits up to a second for a first delivery, then takes what else has arrived (the lanes linger, not this). */
    private List<Delivery> nextBatch() throws InterruptedException {
        List<Delivery> batch = new ArrayList<>(batchSize);
        long wait = ackPending == 0 ? TimeUnit.SECONDS.toNanos(1)
                : Math.max(0, ACK_EVERY.toNanos() - (System.nanoTime() - ackPendingSinceNanos));
        Delivery first = deliveries.poll(wait, TimeUnit.NANOSECONDS);
        if (first == null || first == COMMITTED) {
            return batch;
        }
        batch.add(first);
        deliveries.drainTo(batch, batchSize - 1);
        batch.removeIf(delivery -> delivery == COMMITTED);
        return batch;
    }

    /** Dead-letters the refused and hands every delivery to the lanes, which apply it (retrying while the database is down). */
    private void process(List<Delivery> batch) {
        List<Delivery> refused = new ArrayList<>();
        Map<Delivery, String> reasons = new HashMap<>();
        for (Delivery delivery : batch) {
            if (!delivery.verdict().accepted()) {
                refused.add(delivery);
                reasons.put(delivery, delivery.verdict().reason());
                log.warn("Dead-lettering message {} from {}: {}", delivery.properties().getMessageId(),
                        delivery.routingKey(), delivery.verdict().reason());
            }
        }
        Set<Long> rejectedTags = new HashSet<>(deadLetter(refused, reasons));
        for (Delivery delivery : batch) {
            Verdict verdict = delivery.verdict();
            Pending pending = new Pending(delivery.tag(), verdict.message() instanceof SaleChange, !verdict.accepted(),
                    rejectedTags.contains(delivery.tag()));
            inFlight.add(pending);
            if (verdict.accepted()) {
                lanes.submit(verdict.message(), pending);
            } else {
                lanes.submitDeadLetter(new DeadLetter(clock.instant(), delivery.routingKey(),
                        delivery.properties().getMessageId(), Topology.branchOf(delivery.routingKey()), verdict.reason(),
                        delivery.body(), delivery.properties().getContentType(), delivery.properties().getType()), pending);
            }
        }
    }

    /** Deliveries received and not taken yet; the lanes' wake-up markers are not deliveries. */
    private int queuedDeliveries() {
        int queued = 0;
        for (Delivery delivery : deliveries) {
            if (delivery != COMMITTED) {
                queued++;
            }
        }
        return queued;
    }

    /** Acknowledges (or rejects) the committed deliveries that no uncommitted one precedes. */
    private void settleCommitted() {
        int settled = 0;
        long saleChanges = 0;
        int refused = 0;
        while (!inFlight.isEmpty() && inFlight.peekFirst().committed) {
            Pending pending = inFlight.removeFirst();
            settle(pending);
            settled++;
            saleChanges += pending.saleChange ? 1 : 0;
            refused += pending.refused ? 1 : 0;
        }
        if (settled > 0) {
            long applied = saleChanges;
            int deadLettered = refused;
            int waiting = inFlight.size() + queuedDeliveries();
            update(s -> new ConsumerStatus(s.brokerConnected(), s.brokerDetail(), s.databaseProblem(),
                    s.appliedChanges() + applied, s.deadLettered() + deadLettered, clock.instant(), waiting));
        }
    }

    /**
     * Republishes refused messages to the dead-letter exchange with their reason and waits for the
     * confirm. Returns the tags that could not be republished: those are rejected instead.
     */
    private List<Long> deadLetter(List<Delivery> refused, Map<Delivery, String> reasons) {
        if (refused.isEmpty()) {
            return List.of();
        }
        try {
            for (Delivery delivery : refused) {
                Map<String, Object> headers = new HashMap<>();
                if (delivery.properties().getHeaders() != null) {
                    headers.putAll(delivery.properties().getHeaders());
                }
                String reason = reasons.get(delivery);
                headers.put(MessageHeaders.DEAD_LETTER_REASON, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
                headers.put(MessageHeaders.ORIGINAL_ROUTING_KEY, delivery.routingKey());
                headers.put(MessageHeaders.DEAD_LETTERED_AT, clock.instant().toString());
                if (delivery.properties().getUserId() != null) {
                    headers.put(MessageHeaders.ORIGINAL_USER_ID, delivery.properties().getUserId());
                }
                // user_id must go: the broker checks it against this connection's user.
                AMQP.BasicProperties properties = delivery.properties().builder()
                        .headers(headers).deliveryMode(2).userId(null).build();
                deadLetterChannel.basicPublish(topology.deadLetterExchange(), delivery.routingKey(), properties, delivery.body());
            }
            deadLetterChannel.waitForConfirmsOrDie(5_000);
            return List.of();
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.warn("Could not republish {} refused message(s) with their reason ({}); rejecting them to the dead-letter queue instead",
                    refused.size(), e.getMessage());
            closeChannel(deadLetterChannel);
            return refused.stream().map(Delivery::tag).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refused.stream().map(Delivery::tag).toList();
        }
    }

    /**
     * Rejects a committed delivery that could not be dead-lettered with its reason, or notes its tag
     * for the next acknowledgement: a multiple ack covers only what is still outstanding, so a
     * rejected one is not acknowledged with it.
     */
    private void settle(Pending pending) {
        if (pending.reject) {
            try {
                consumeChannel.basicReject(pending.tag, false);
            } catch (IOException | RuntimeException e) {
                log.warn("Could not reject message {} ({}); the broker will redeliver it", pending.tag, e.getMessage());
            }
            return;
        }
        if (ackPending == 0) {
            ackPendingSinceNanos = System.nanoTime();
        }
        ackPending = Math.max(ackPending, pending.tag);
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
    private void update(java.util.function.UnaryOperator<ConsumerStatus> change) {
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
            deadLetterChannel = null;
        }
    }
}
