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
import io.salesync.common.db.Databases;
import io.salesync.common.event.BranchMessage;
import io.salesync.common.event.SaleChange;
import io.salesync.headoffice.persistence.AggregateRepository.DeadLetter;
import io.salesync.headoffice.service.ChangeApplier;
import io.salesync.headoffice.service.ConsumerStatus;
import io.salesync.headoffice.service.IncomingChange;
import io.salesync.headoffice.service.IncomingChange.Verdict;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * named thread ("ho-consumer") owns both channels and does all database work, publishing and acks.
 */
public final class SalesConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SalesConsumer.class);
    private static final Duration MAX_DB_BACKOFF = Duration.ofSeconds(15);
    private static final Duration ACK_EVERY = Duration.ofMillis(20);

    private record Delivery(long tag, String routingKey, AMQP.BasicProperties properties, byte[] body, Verdict verdict) {
    }

    private final BrokerConnector connector;
    private final Topology topology;
    private final ChangeApplier applier;
    private final IncomingChange incoming;
    private final DatabaseSettings databaseSettings;
    private final int prefetch;
    private final int batchSize;
    private final Duration linger;
    private final Clock clock;
    private final Consumer<ConsumerStatus> statusListener;
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
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

    public SalesConsumer(BrokerConnector connector, Topology topology, ChangeApplier applier, IncomingChange incoming,
                         DatabaseSettings databaseSettings, int prefetch, int batchSize, Duration linger, Clock clock,
                         Consumer<ConsumerStatus> statusListener) {
        this.connector = connector;
        this.topology = topology;
        this.applier = applier;
        this.incoming = incoming;
        this.databaseSettings = databaseSettings;
        this.prefetch = prefetch;
        this.batchSize = batchSize;
        this.linger = linger;
        this.clock = clock;
        this.statusListener = statusListener;
        this.thread = new Thread(this::run, "ho-consumer");
    }

    public void start() {
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
                flushAcks(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (consumeChannel != null && consumeChannel.isOpen()) {
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
                                s.deadLettered(), s.lastAppliedAt(), deliveries.size())));
                if (connection == null) {
                    return false;
                }
                connection.addShutdownListener(cause -> {
                    if (running && !cause.isInitiatedByApplication()) {
                        log.warn("Lost the broker connection ({}); recovering", cause.getMessage());
                        update(s -> new ConsumerStatus(false, "connection lost: " + cause.getMessage(), s.databaseProblem(),
                                s.appliedChanges(), s.deadLettered(), s.lastAppliedAt(), deliveries.size()));
                    }
                });
                ((com.rabbitmq.client.Recoverable) connection).addRecoveryListener(new com.rabbitmq.client.RecoveryListener() {
                    @Override
                    public void handleRecovery(com.rabbitmq.client.Recoverable recoverable) {
                        log.info("Broker connection recovered");
                        update(s -> new ConsumerStatus(true, null, s.databaseProblem(), s.appliedChanges(),
                                s.deadLettered(), s.lastAppliedAt(), deliveries.size()));
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
                    s.lastAppliedAt(), deliveries.size()));
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot consume from {}: {}", topology.salesQueue(), connector.describe(e));
            update(s -> new ConsumerStatus(false, connector.describe(e), s.databaseProblem(), s.appliedChanges(),
                    s.deadLettered(), s.lastAppliedAt(), deliveries.size()));
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
        ackPending = 0; // tags belong to the channel: the broker redelivers what the old one held
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
        log.info("Consuming {} (prefetch {}, batches of up to {})", topology.salesQueue(), prefetch, batchSize);
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

    /** Waits up to a second for a first delivery, then up to {@code linger} for the batch to fill. */
    private List<Delivery> nextBatch() throws InterruptedException {
        List<Delivery> batch = new ArrayList<>(batchSize);
        long wait = ackPending == 0 ? TimeUnit.SECONDS.toNanos(1)
                : Math.max(0, ACK_EVERY.toNanos() - (System.nanoTime() - ackPendingSinceNanos));
        Delivery first = deliveries.poll(wait, TimeUnit.NANOSECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        long deadline = System.nanoTime() + linger.toNanos();
        while (batch.size() < batchSize) {
            deliveries.drainTo(batch, batchSize - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= batchSize || left <= 0) {
                break;
            }
            Delivery next = deliveries.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    /** Sort, dead-letter the refused, apply the rest in one transaction (retrying while the database is down), ack. */
    private void process(List<Delivery> batch) throws InterruptedException {
        List<BranchMessage> changes = new ArrayList<>(batch.size());
        List<DeadLetter> deadLetters = new ArrayList<>();
        List<Delivery> refused = new ArrayList<>();
        Map<Delivery, String> reasons = new HashMap<>();
        for (Delivery delivery : batch) {
            Verdict verdict = delivery.verdict();
            if (verdict.accepted()) {
                changes.add(verdict.message());
            } else {
                refused.add(delivery);
                reasons.put(delivery, verdict.reason());
                deadLetters.add(new DeadLetter(clock.instant(), delivery.routingKey(), delivery.properties().getMessageId(),
                        Topology.branchOf(delivery.routingKey()), verdict.reason(), delivery.body(),
                        delivery.properties().getContentType(), delivery.properties().getType()));
                log.warn("Dead-lettering message {} from {}: {}", delivery.properties().getMessageId(),
                        delivery.routingKey(), verdict.reason());
            }
        }
        List<Long> rejectedTags = deadLetter(refused, reasons);
        applyUntilCommitted(changes, deadLetters);
        acknowledge(batch, rejectedTags);
        long saleChanges = changes.stream().filter(SaleChange.class::isInstance).count();
        update(s -> new ConsumerStatus(s.brokerConnected(), s.brokerDetail(), null, s.appliedChanges() + saleChanges,
                s.deadLettered() + refused.size(), clock.instant(), deliveries.size()));
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

    private void applyUntilCommitted(List<BranchMessage> changes, List<DeadLetter> deadLetters) throws InterruptedException {
        long backoff = 500;
        while (true) {
            try {
                applier.apply(changes, deadLetters);
                if (status.databaseProblem() != null) {
                    log.info("Aggregate database answers again; applied the {} change(s) held", changes.size());
                    update(s -> new ConsumerStatus(s.brokerConnected(), s.brokerDetail(), null, s.appliedChanges(),
                            s.deadLettered(), s.lastAppliedAt(), deliveries.size()));
                }
                return;
            } catch (SQLException | RuntimeException e) {
                String problem = Databases.unreachableMessage(databaseSettings, e)
                        + " Holding " + changes.size() + " change(s) unacknowledged; they stay queued until it answers.";
                log.warn("{} Retrying in {} ms.", problem, backoff);
                update(s -> new ConsumerStatus(s.brokerConnected(), s.brokerDetail(), problem, s.appliedChanges(),
                        s.deadLettered(), s.lastAppliedAt(), deliveries.size()));
                if (!running) {
                    throw new InterruptedException("stopping with an unapplied batch; the broker redelivers it");
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_DB_BACKOFF.toMillis());
            }
        }
    }

    /**
     * Rejects what could not be dead-lettered and notes the batch's highest tag for the next
     * acknowledgement: a multiple ack covers only what is still outstanding, so the rejected ones
     * are not acknowledged with it.
     */
    private void acknowledge(List<Delivery> batch, List<Long> rejectedTags) {
        try {
            for (long tag : rejectedTags) {
                consumeChannel.basicReject(tag, false);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not reject {} message(s) ({}); the broker will redeliver them", rejectedTags.size(), e.getMessage());
        }
        if (ackPending == 0) {
            ackPendingSinceNanos = System.nanoTime();
        }
        ackPending = Math.max(ackPending, batch.stream().mapToLong(Delivery::tag).max().orElseThrow());
        ackPendingCount += batch.size();
    }

    /** Acknowledges the committed batches when they have waited long enough, or many are waiting, or {@code now}. */
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
