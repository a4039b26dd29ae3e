package io.salesync.branch.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.salesync.branch.config.RelaySettings;
import io.salesync.branch.messaging.RelayStatus.BrokerState;
import io.salesync.branch.persistence.OutboxRepository;
import io.salesync.branch.persistence.OutboxRepository.OutboxMessage;
import io.salesync.branch.persistence.RelayLock;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.MessageHeaders;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.event.SaleChange;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the branch's outbox to the broker in sequence order and marks a row published only after
 * the broker confirmed it.
 *
 * <p>Messages are persistent and mandatory, published to the durable sales exchange with publisher
 * confirms; up to {@code confirmWindow} are in flight at once and their confirms are handled
 * asynchronously (the map of publish sequence numbers of the RabbitMQ confirms tutorial, with the
 * {@code multiple} flag). A nack, a return (unroutable), a confirm that does not come within the
 * timeout, or a lost connection discards the window: the channel is closed and the relay resends
 * from the first unconfirmed row. The head office applies idempotently, so a resent change is
 * harmless; a lost one is impossible, because nothing is marked without a confirm.
 *
 * <p>Rows this process has just committed are handed over by {@link #committed(List)}, so the relay
 * sends them without reading them back; anything else (rows another process wrote, rows written
 * before a restart, a hand-over it had no room for) it reads from the outbox, which stays the only
 * record of what must be sent. Confirms are recorded in the outbox in runs, at most
 * {@code MARK_EVERY} apart: a confirm that is not recorded yet when the process stops only means
 * that change is sent once more.
 *
 * <p>Threads: the relay owns one named thread, which alone publishes and alone uses the channel for
 * anything but the client's own callbacks. The confirm and return callbacks only record results and
 * wake that thread. {@link #wake()} and {@link #committed(List)} may be called from any thread,
 * right after a commit.
 * Only one relay per branch database runs at a time (a MySQL named lock); another one waits in
 * {@link BrokerState#STANDBY}.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration LOCK_CHECK = Duration.ofSeconds(5);
    private static final Duration BACKLOG_REFRESH = Duration.ofSeconds(1);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    private static final int PRUNE_BATCH = 5_000;
    private static final Duration FAILURE_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_FAILURE_PAUSE = Duration.ofSeconds(10);
    /** Confirms are written to the outbox at most this long after they arrive (or when 1,000 are waiting). */
    private static final Duration MARK_EVERY = Duration.ofMillis(500);
    private static final int MARK_AT_MOST = 1_000;
    /** Committed rows kept for sending without a read; beyond this they are read from the outbox. */
    private static final int HANDED_OVER_LIMIT = 10_000;

    private final String branchId;
    private final OutboxRepository outbox;
    private final RelayLock lock;
    private final BrokerConnector connector;
    private final Topology topology;
    private final RelaySettings settings;
    private final DatabaseSettings databaseSettings;
    private final Clock clock;
    private final Consumer<RelayStatus> statusListener;
    private final Thread thread;
    private final Object signal = new Object();

    // Written by the AMQP callback thread, drained by the relay thread.
    private final ConcurrentNavigableMap<Long, InFlight> inFlight = new ConcurrentSkipListMap<>();
    private final ConcurrentLinkedQueue<Long> confirmed = new ConcurrentLinkedQueue<>();
    private final Set<String> returned = ConcurrentHashMap.newKeySet();
    // Written by committing threads, drained by the relay thread.
    private final ConcurrentNavigableMap<Long, OutboxMessage> handedOver = new ConcurrentSkipListMap<>();
    private volatile String channelFailure;
    /** The lowest change a nack or a return was about (0 when none): its outbox row gets the reason. */
    private volatile long failedSeq;
    private volatile int generation;
    private volatile boolean running = true;
    private volatile boolean woken;
    /** Set when the outbox may hold rows the relay has not seen (a commit, a restart); cleared by a read. */
    private volatile boolean outboxChanged = true;
    private volatile RelayStatus status;

    // Relay thread only.
    private final List<Long> toMark = new ArrayList<>();
    private Connection connection;
    private Channel channel;
    private long highestSent;
    private Instant lastLockCheck = Instant.EPOCH;
    private Instant lastBacklogRefresh = Instant.EPOCH;
    private Duration failurePause = FAILURE_PAUSE;
    private Instant lastPrune = Instant.EPOCH;
    private long firstToMarkNanos;
    private long lastOutboxReadNanos;

    private record InFlight(long seq, String messageId, Instant sentAt) {
    }

    public OutboxRelay(String branchId, OutboxRepository outbox, RelayLock lock, BrokerConnector connector,
                       Topology topology, RelaySettings settings, DatabaseSettings databaseSettings, Clock clock,
                       Consumer<RelayStatus> statusListener) {
        this.branchId = branchId;
        this.outbox = outbox;
        this.lock = lock;
        this.connector = connector;
        this.topology = topology;
        this.settings = settings;
        this.databaseSettings = databaseSettings;
        this.clock = clock;
        this.statusListener = statusListener;
        this.status = RelayStatus.starting(clock.instant());
        this.thread = new Thread(this::run, "outbox-relay-" + branchId);
    }

    public void start() {
        thread.start();
    }

    /** Asks the relay to look at the outbox now (after a commit). Cheap; any thread. */
    public void wake() {
        outboxChanged = true;
        signal();
    }

    /** Wakes the relay thread without saying the outbox changed (a confirm arrived). */
    private void signal() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * Hands over outbox rows that were just committed and wakes the relay. Cheap; any thread. Rows
     * it does not keep (while it is not sending, or beyond its limit) are read from the outbox later;
     * rows it keeps are not read back.
     */
    public void committed(List<OutboxMessage> rows) {
        if (status.broker() != BrokerState.CONNECTED || handedOver.size() + rows.size() > HANDED_OVER_LIMIT) {
            wake();
            return;
        }
        for (OutboxMessage row : rows) {
            handedOver.put(row.seq(), row);
        }
        signal();
    }

    public RelayStatus status() {
        return status;
    }

    /** Stops publishing, waits for the thread (at most 10 s) and closes the channel and connection. */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(3_000);
            if (thread.isAlive()) {
                thread.interrupt(); // blocked in a connection attempt or a backoff
                thread.join(7_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        log.info("Outbox relay for branch {} started", branchId);
        while (running) {
            try {
                step();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (SQLException e) {
                String problem = Databases.unreachableMessage(databaseSettings, e);
                log.warn("Branch {}: {} Changes wait in the outbox.", branchId, problem);
                update(s -> s.withDatabaseProblem(problem));
                pause(FAILURE_PAUSE.multipliedBy(4));
            } catch (IOException | RuntimeException e) {
                String reason = connector.describe(e);
                discardChannel(reason);
                pauseAfterFailure();
            }
        }
        shutdown();
    }

    /** One pass: hold the lock, have a channel, record confirms, send what fits the window, wait. */
    private void step() throws InterruptedException, SQLException, IOException {
        if (!holdLock()) {
            setBroker(BrokerState.STANDBY, "another process is sending this branch's changes");
            awaitWork(LOCK_CHECK);
            return;
        }
        if (!haveChannel()) {
            return;
        }
        markConfirmed(false);
        if (channelFailure != null) {
            String reason = channelFailure;
            discardChannel(reason);
            pauseAfterFailure();
            return;
        }
        failOnConfirmTimeout();
        boolean more = publishNext();
        refreshBacklog(false);
        pruneOutbox();
        if (!more || inFlight.size() >= settings.confirmWindow()) {
            awaitWork(nextWait());
        }
    }

    /** Until the next confirm is due to be recorded, the oldest confirm is late, or the outbox is polled. */
    private Duration nextWait() {
        Duration wait = inFlight.isEmpty() ? settings.idlePoll() : Duration.ofMillis(50);
        if (!toMark.isEmpty() || !confirmed.isEmpty()) {
            long due = firstToMarkNanos == 0 ? 0 : MARK_EVERY.toNanos() - (System.nanoTime() - firstToMarkNanos);
            wait = Duration.ofNanos(Math.max(1_000_000, Math.min(due, wait.toNanos())));
        }
        return wait;
    }

    private boolean holdLock() throws SQLException {
        Instant now = clock.instant();
        if (Duration.between(lastLockCheck, now).compareTo(LOCK_CHECK) < 0 && status.broker() != BrokerState.STANDBY
                && status.broker() != BrokerState.STARTING) {
            return true;
        }
        lastLockCheck = now;
        boolean held = lock.tryAcquire();
        if (held && status.databaseProblem() != null) {
            update(s -> s.withDatabaseProblem(null));
        }
        return held;
    }

    /** Connects (retrying with backoff) and opens a confirm-mode channel when there is none. */
    private boolean haveChannel() throws InterruptedException, IOException, SQLException {
        if (channel != null && channel.isOpen()) {
            return true;
        }
        if (channel != null) {
            // Closed under the relay, by the broker (a refused permission, say) or with the connection.
            discardChannel(channelFailure != null ? channelFailure : "the channel was closed");
            pauseAfterFailure();
            if (!running) {
                return false;
            }
        }
        if (connection == null || !connection.isOpen()) {
            closeConnection();
            if (status.broker() != BrokerState.RECONNECTING) {
                setBroker(BrokerState.RECONNECTING, "connecting to " + connector.settings().hostAndPort());
            }
            connection = connector.connectWithRetry(() -> running, reason -> {
                setBroker(BrokerState.RECONNECTING, reason);
                refreshBacklog(true);
            });
            if (connection == null) {
                return false;
            }
        }
        Channel opened = connection.createChannel();
        topology.declareForBranch(opened);
        opened.confirmSelect();
        int channelGeneration = ++generation;
        opened.addConfirmListener(
                (tag, multiple) -> onConfirm(channelGeneration, tag, multiple, true),
                (tag, multiple) -> onConfirm(channelGeneration, tag, multiple, false));
        opened.addReturnListener(returnedMessage -> {
            if (channelGeneration == generation) {
                returned.add(String.valueOf(returnedMessage.getProperties().getMessageId()));
            }
        });
        opened.addShutdownListener(cause -> {
            if (channelGeneration == generation && running) {
                channelFailure = "channel closed: " + cause.getMessage();
                wake();
            }
        });
        channel = opened;
        markConfirmed(true);
        restartWindow();
        setBroker(BrokerState.CONNECTED, null);
        return true;
    }

    /** Confirm callback (AMQP thread): moves acked rows to {@code confirmed}, flags a nack or a return. */
    private void onConfirm(int channelGeneration, long tag, boolean multiple, boolean ack) {
        if (channelGeneration != generation) {
            return;
        }
        Map<Long, InFlight> settled = multiple ? inFlight.headMap(tag, true) : inFlight.subMap(tag, true, tag, true);
        List<InFlight> entries = new ArrayList<>(settled.values());
        settled.clear();
        for (InFlight entry : entries) {
            if (!ack) {
                channelFailure = "broker refused (nack) change " + entry.seq();
                noteFailed(entry.seq());
            } else if (returned.remove(entry.messageId())) {
                channelFailure = "change " + entry.seq() + " was unroutable: no queue bound for "
                        + Topology.routingKey(branchId) + " on " + topology.salesExchange()
                        + " (has the head office run once?)";
                noteFailed(entry.seq());
            } else {
                confirmed.add(entry.seq());
            }
        }
        signal();
    }

    /** Callback thread: remembers the lowest change that failed on this channel. */
    private void noteFailed(long seq) {
        long current = failedSeq;
        failedSeq = current == 0 ? seq : Math.min(current, seq);
    }

    /**
     * Marks confirmed rows published, in runs (see {@code MARK_EVERY}), or at once when {@code now};
     * keeps them for the next pass if the database is down.
     */
    private void markConfirmed(boolean now) throws SQLException {
        for (Long seq = confirmed.poll(); seq != null; seq = confirmed.poll()) {
            if (toMark.isEmpty()) {
                firstToMarkNanos = System.nanoTime();
            }
            toMark.add(seq);
        }
        if (toMark.isEmpty()) {
            return;
        }
        if (!now && toMark.size() < MARK_AT_MOST && System.nanoTime() - firstToMarkNanos < MARK_EVERY.toNanos()) {
            return;
        }
        Instant at = clock.instant();
        outbox.markPublished(toMark, at);
        long highest = toMark.stream().mapToLong(Long::longValue).max().orElse(0);
        toMark.clear();
        firstToMarkNanos = 0;
        failurePause = FAILURE_PAUSE;
        update(s -> s.withConfirmed(at, highest));
    }

    private void failOnConfirmTimeout() {
        Map.Entry<Long, InFlight> oldest = inFlight.firstEntry();
        if (oldest != null && Duration.between(oldest.getValue().sentAt(), clock.instant()).compareTo(settings.confirmTimeout()) > 0) {
            channelFailure = "no confirm for change " + oldest.getValue().seq() + " within " + settings.confirmTimeout().toMillis() + " ms";
        }
    }

    /**
     * Publishes the next rows that fit the confirm window, in sequence order: those handed over when
     * they follow on, otherwise those read from the outbox.
     *
     * @return whether more may be waiting right now (as many as the limit, all of them sent)
     */
    private boolean publishNext() throws SQLException, IOException {
        int room = settings.confirmWindow() - inFlight.size();
        if (room <= 0) {
            return false;
        }
        handedOver.headMap(highestSent, true).clear();
        int limit = Math.min(room, settings.batchSize());
        List<OutboxMessage> rows = takeHandedOver(limit);
        boolean fromOutbox = rows.isEmpty();
        if (fromOutbox) {
            // Handed-over rows waiting beyond the next number mean that change was committed without
            // being handed over (by another process, say): read the outbox for it.
            boolean hole = !handedOver.isEmpty();
            if (!outboxChanged && !hole && System.nanoTime() - lastOutboxReadNanos < settings.idlePoll().toNanos()) {
                return false;
            }
            outboxChanged = false;
            lastOutboxReadNanos = System.nanoTime();
            rows = outbox.unpublishedAfter(highestSent, limit);
        }
        int published = 0;
        for (OutboxMessage row : rows) {
            if (channelFailure != null) {
                break;
            }
            if (row.seq() != highestSent + 1) {
                // Numbers are gapless, but with several writers the database can show change n+1
                // before n has become visible. Stop at the hole: n is read again at the next pass
                // (its commit wakes the relay), so nothing is skipped and the order holds.
                break;
            }
            publish(row);
            published++;
        }
        boolean more = rows.size() == limit && published == rows.size();
        if (more && fromOutbox) {
            outboxChanged = true;
        }
        return more;
    }

    /** The handed-over rows that follow the last one sent, without a hole, at most {@code limit}. */
    private List<OutboxMessage> takeHandedOver(int limit) {
        List<OutboxMessage> rows = new ArrayList<>();
        long next = highestSent + 1;
        for (OutboxMessage row = handedOver.get(next); row != null && rows.size() < limit; row = handedOver.get(++next)) {
            rows.add(row);
        }
        return rows;
    }

    private void publish(OutboxMessage row) throws IOException {
        String messageId = SaleChange.messageId(branchId, row.seq());
        AMQP.BasicProperties properties = MessageProperties.PERSISTENT_BASIC.builder()
                .contentType(SaleChangeCodec.CONTENT_TYPE)
                .contentEncoding("utf-8")
                .messageId(messageId)
                .type(row.messageType())
                .userId(connector.settings().user())
                .appId("salesync-branch-" + branchId)
                .timestamp(java.util.Date.from(row.createdAt()))
                .headers(Map.of(MessageHeaders.SCHEMA_VERSION, SaleChangeCodec.SCHEMA_VERSION))
                .build();
        inFlight.put(channel.getNextPublishSeqNo(), new InFlight(row.seq(), messageId, clock.instant()));
        channel.basicPublish(topology.salesExchange(), Topology.routingKey(branchId), true, properties, row.payload());
        highestSent = row.seq();
    }

    /** Forgets the in-flight window and starts again after the last row the database has as published. */
    private void restartWindow() throws SQLException {
        inFlight.clear();
        returned.clear();
        channelFailure = null;
        failedSeq = 0;
        outboxChanged = true;
        highestSent = outbox.restartAfter();
        refreshBacklog(true);
    }

    private void discardChannel(String reason) {
        log.warn("Branch {}: publishing stopped ({}); sending again from the first unconfirmed change", branchId, reason);
        generation++;
        Map.Entry<Long, InFlight> firstUnconfirmed = inFlight.firstEntry();
        Channel old = channel;
        channel = null;
        inFlight.clear();
        returned.clear();
        channelFailure = null;
        if (old != null && old.isOpen()) {
            try {
                old.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                log.debug("Closing the failed channel: {}", e.getMessage());
            }
        }
        // A nacked or returned change has already left the in-flight map: record the reason on it.
        long failed = failedSeq;
        failedSeq = 0;
        long seqToBlame = failed != 0 ? failed : firstUnconfirmed != null ? firstUnconfirmed.getValue().seq() : 0;
        if (seqToBlame != 0) {
            try {
                outbox.recordFailure(seqToBlame, reason);
            } catch (SQLException e) {
                log.debug("Could not record the failure in the outbox: {}", e.getMessage());
            }
        }
        setBroker(connection != null && connection.isOpen() ? BrokerState.CONNECTED : BrokerState.RECONNECTING, reason);
    }

    /**
     * Every ten minutes, deletes confirmed outbox rows older than the retention, a batch at a time,
     * so that the branch database does not grow without bound. A row is confirmed before it can be
     * deleted, so nothing unsent is ever lost.
     */
    private void pruneOutbox() throws SQLException {
        Instant now = clock.instant();
        if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
            return;
        }
        lastPrune = now;
        Instant cutoff = now.minus(settings.outboxRetention());
        long pruned = 0;
        for (int deleted = PRUNE_BATCH; deleted == PRUNE_BATCH && running; ) {
            deleted = outbox.prunePublishedBefore(cutoff, PRUNE_BATCH);
            pruned += deleted;
        }
        if (pruned > 0) {
            log.info("Branch {}: deleted {} confirmed outbox row(s) older than {}", branchId, pruned, cutoff);
        }
    }

    private void refreshBacklog(boolean now) {
        Instant at = clock.instant();
        if (!now && Duration.between(lastBacklogRefresh, at).compareTo(BACKLOG_REFRESH) < 0) {
            return;
        }
        lastBacklogRefresh = at;
        try {
            long backlog = outbox.backlog();
            update(s -> s.withBacklog(backlog));
        } catch (SQLException e) {
            String problem = Databases.unreachableMessage(databaseSettings, e);
            update(s -> s.withDatabaseProblem(problem));
        }
    }

    private void awaitWork(Duration timeout) throws InterruptedException {
        synchronized (signal) {
            if (!woken && running) {
                signal.wait(Math.max(1, timeout.toMillis()));
            }
            woken = false;
        }
    }

    /** Waits longer after each failure in a row (0.5 s doubling to 10 s); a confirm resets it. */
    private void pauseAfterFailure() {
        pause(failurePause);
        failurePause = failurePause.multipliedBy(2).compareTo(MAX_FAILURE_PAUSE) > 0 ? MAX_FAILURE_PAUSE : failurePause.multipliedBy(2);
    }

    private void pause(Duration duration) {
        try {
            awaitWork(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void setBroker(BrokerState state, String detail) {
        Instant now = clock.instant();
        update(s -> s.withBroker(state, detail, now));
    }

    /** Applies a change to the status and tells the listener, only when something changed. */
    private void update(java.util.function.UnaryOperator<RelayStatus> change) {
        RelayStatus previous;
        RelayStatus next;
        synchronized (signal) {
            previous = status;
            next = change.apply(previous);
            status = next;
        }
        if (!next.equals(previous)) {
            statusListener.accept(next);
        }
    }

    private void shutdown() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.waitForConfirms(2_000);
            }
            markConfirmed(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | SQLException | RuntimeException e) {
            log.debug("Last confirms not recorded on shutdown ({}); those changes will be sent again", e.getMessage());
        }
        generation++;
        closeConnection();
        lock.release();
        setBroker(BrokerState.STOPPED, null);
        log.info("Outbox relay for branch {} stopped", branchId);
    }

    private void closeConnection() {
        channel = null;
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the broker connection: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
