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
import io.salesync.common.amqp.TopologyMissingException;
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
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the branch's outbox to the broker in sequence order and marks a row published only after
 * the broker confirmed it.
 *
 * <p>Messages are persistent and mandatory, published to the durable sales exchange with publisher
 * confirms; up to {@code confirmWindow} are in flight at once, tracked by the {@link ConfirmWindow}
 * of their channel. A nack, a return (no queue took the message), a confirm that does not come
 * within the timeout, or a lost channel ends that window: the channel is closed and the relay sends
 * everything again from the first unconfirmed row on a new channel, first one message alone until
 * the broker confirms it, then a full window. The head office applies idempotently, so a resent
 * change is harmless; a lost one is impossible, because nothing is marked without a confirm of a
 * message that was routed to a queue.
 *
 * <p>Rows this process has just committed are handed over by {@link #committed(List)}, so the relay
 * sends them without reading them back; anything else (rows another process wrote, rows written
 * before a restart, a hand-over it had no room for) it reads from the outbox, which stays the only
 * record of what must be sent. Confirms are recorded in the outbox in runs ({@link ConfirmedMarks}).
 *
 * <p>Threads: the relay owns one named thread, which alone publishes and alone uses the channel for
 * anything but the client's own callbacks; those only record results in the window and wake that
 * thread. {@link #wake()}, {@link #committed(List)} and {@link #resendFrom(long)} may be called from
 * any thread. Only one relay per branch database runs at a time (a MySQL named lock); another one
 * waits in {@link BrokerState#STANDBY}.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration LOCK_CHECK = Duration.ofSeconds(5);
    private static final Duration BACKLOG_REFRESH = Duration.ofSeconds(1);
    private static final Duration FAILURE_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_FAILURE_PAUSE = Duration.ofSeconds(10);
    /** How long a missing row may hold up sending before the relay checks whether it exists at all. */
    private static final Duration HOLE_CHECK = Duration.ofSeconds(2);
    /** Committed rows kept for sending without a read; beyond this they are read from the outbox. */
    private static final int HANDED_OVER_LIMIT = 10_000;

    /** A request to send the rows from {@code fromSeq} on again, answered by the relay thread. */
    private record ResendRequest(long fromSeq, CompletableFuture<Long> answer) {
    }

    private final String branchId;
    private final OutboxRepository outbox;
    private final RelayLock lock;
    private final BrokerConnector connector;
    private final Topology topology;
    private final RelaySettings settings;
    private final DatabaseSettings databaseSettings;
    private final Clock clock;
    private final Consumer<RelayStatus> statusListener;
    private final ConfirmedMarks marks;
    private final OutboxPruner pruner;
    private final Thread thread;
    private final Object signal = new Object();

    // Written by committing threads, drained by the relay thread.
    private final ConcurrentNavigableMap<Long, OutboxMessage> handedOver = new ConcurrentSkipListMap<>();
    private final ConcurrentLinkedQueue<ResendRequest> resendRequests = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile boolean woken;
    /** Set when the outbox may hold rows the relay has not seen (a commit, a restart); cleared by a read. */
    private volatile boolean outboxChanged = true;
    private volatile RelayStatus status;

    // Relay thread only.
    private Connection connection;
    private Channel channel;
    private ConfirmWindow window;
    private long highestSent;
    /** After a failure, one message at a time until the broker confirms one. */
    private boolean probing;
    private String lastFailureLogged;
    private Instant lastLockCheck = Instant.EPOCH;
    private Instant lastBacklogRefresh = Instant.EPOCH;
    private Duration failurePause = FAILURE_PAUSE;
    private long lastOutboxReadNanos;
    private long holeSinceNanos;

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
        this.marks = new ConfirmedMarks(outbox, clock);
        this.pruner = new OutboxPruner(branchId, outbox, settings.outboxRetention(), clock);
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

    /**
     * Asks the relay to send every row from {@code fromSeq} on again (the head office lost them).
     * Any thread; the relay thread carries it out while it holds the branch's relay lock.
     *
     * @return completes with the number of rows that were confirmed before and are sent again, or
     *         -1 when rows from {@code fromSeq} on were already deleted and cannot be sent again
     */
    public CompletableFuture<Long> resendFrom(long fromSeq) {
        CompletableFuture<Long> answer = new CompletableFuture<>();
        resendRequests.add(new ResendRequest(fromSeq, answer));
        signal();
        return answer;
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
                if (!problem.equals(status.databaseProblem())) {
                    log.warn("Branch {}: {} Changes wait in the outbox.", branchId, problem);
                } else {
                    log.debug("Branch {}: still {}", branchId, problem);
                }
                update(s -> s.withDatabaseProblem(problem));
                pause(FAILURE_PAUSE.multipliedBy(4));
            } catch (IOException | RuntimeException e) {
                discardChannel(failureOf(e));
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
        recordConfirms(false);
        if (serveResendRequests()) {
            return;
        }
        if (windowEnded()) {
            pauseAfterFailure();
            return;
        }
        boolean more = publishNext();
        refreshBacklog(false);
        pruner.pruneWhenDue(() -> running);
        if (!more || window.size() >= windowLimit()) {
            awaitWork(nextWait());
        }
    }

    /** Until the next confirm is due to be recorded, the oldest confirm is late, or the outbox is polled. */
    private Duration nextWait() {
        Duration wait = window.size() == 0 ? settings.idlePoll() : Duration.ofMillis(50);
        if (holeSinceNanos != 0) {
            wait = Duration.ofMillis(Math.min(wait.toMillis(), 200));
        }
        if (!marks.isEmpty()) {
            Duration due = marks.dueIn();
            wait = due.compareTo(wait) < 0 ? due : wait;
        }
        return wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait;
    }

    /** Messages allowed in flight: one while probing after a failure, else the configured window. */
    private int windowLimit() {
        return probing ? 1 : settings.confirmWindow();
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

    /** Connects (retrying with backoff) and opens a confirm-mode channel with a new window when there is none. */
    private boolean haveChannel() throws InterruptedException, IOException, SQLException {
        if (channel != null && channel.isOpen()) {
            return true;
        }
        if (channel != null) {
            // Closed under the relay, by the broker (a refused permission, say) or with the connection.
            ConfirmWindow.Failure failure = window.failure();
            discardChannel(failure != null ? failure : new ConfirmWindow.Failure(0, "the channel was closed", false));
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
        ConfirmWindow fresh = new ConfirmWindow();
        opened.addConfirmListener((tag, multiple) -> {
            fresh.acked(tag, multiple);
            signal();
        }, (tag, multiple) -> {
            fresh.nacked(tag, multiple);
            signal();
        });
        opened.addReturnListener(returned -> fresh.returned(returned.getProperties().getMessageId(), unroutable()));
        opened.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                fresh.lost("the channel was closed: " + cause.getMessage());
                signal();
            }
        });
        channel = opened;
        window = fresh;
        recordConfirms(true);
        restartWindow();
        if (status.broker() != BrokerState.NO_QUEUE) {
            setBroker(BrokerState.CONNECTED, null);
        }
        return true;
    }

    /** Takes the window's confirms and records them in the outbox when due (or {@code now}). */
    private void recordConfirms(boolean now) throws SQLException {
        if (window != null) {
            List<Long> confirmed = window.takeConfirmed();
            if (!confirmed.isEmpty()) {
                marks.add(confirmed);
                probing = false;
                if (status.broker() != BrokerState.CONNECTED) {
                    lastFailureLogged = null;
                    log.info("Branch {}: RabbitMQ confirms changes again", branchId);
                    setBroker(BrokerState.CONNECTED, null);
                }
            }
        }
        ConfirmedMarks.Recorded recorded = marks.flush(now);
        if (recorded != null) {
            failurePause = FAILURE_PAUSE;
            update(s -> s.withConfirmed(recorded.at(), recorded.highest()));
        }
    }

    /**
     * Ends the window when it failed or its oldest confirm is late: closes the channel so that the
     * relay sends again from the first unconfirmed row.
     */
    private boolean windowEnded() {
        Instant oldest = window.oldestSentAt();
        if (oldest != null && Duration.between(oldest, clock.instant()).compareTo(settings.confirmTimeout()) > 0) {
            window.timedOut("no confirm within " + settings.confirmTimeout().toMillis() + " ms");
        }
        ConfirmWindow.Failure failure = window.failure();
        if (failure == null) {
            return false;
        }
        discardChannel(failure);
        return true;
    }

    /**
     * Publishes the next rows that fit the confirm window, in sequence order: those handed over when
     * they follow on, otherwise those read from the outbox.
     *
     * @return whether more may be waiting right now (as many as the limit, all of them sent)
     */
    private boolean publishNext() throws SQLException, IOException {
        int room = windowLimit() - window.size();
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
            boolean hole = !handedOver.isEmpty() || holeSinceNanos != 0;
            if (!outboxChanged && !hole && System.nanoTime() - lastOutboxReadNanos < settings.idlePoll().toNanos()) {
                return false;
            }
            outboxChanged = false;
            lastOutboxReadNanos = System.nanoTime();
            rows = outbox.rowsAfter(highestSent, limit);
        }
        int published = 0;
        for (OutboxMessage row : rows) {
            if (window.failure() != null) {
                break;
            }
            if (row.seq() != highestSent + 1) {
                passHole();
                break;
            }
            publish(row);
            published++;
        }
        if (published > 0 || rows.isEmpty()) {
            holeSinceNanos = 0;
        }
        boolean more = rows.size() == limit && published == rows.size();
        if (more && fromOutbox) {
            outboxChanged = true;
        }
        return more;
    }

    /**
     * The next row is not there while a later one is. Numbers are gapless, but with several writers
     * the database can show change n+1 before n has become visible: n is read again at the next
     * pass (its commit wakes the relay), so nothing is skipped and the order holds. When the hole
     * lasts, the relay reads under the sequence lock, where every committed row is visible: a number
     * that is then still missing is not in the outbox at all (deleted by hand), and waiting for it
     * would stop the branch for good, so the relay says so and goes on.
     */
    private void passHole() throws SQLException {
        if (holeSinceNanos == 0) {
            holeSinceNanos = System.nanoTime();
            return;
        }
        if (System.nanoTime() - holeSinceNanos < HOLE_CHECK.toNanos()) {
            return;
        }
        holeSinceNanos = 0;
        long first = outbox.firstRowAfter(highestSent);
        if (first > highestSent + 1) {
            log.warn("Branch {}: changes {} to {} are not in the outbox (deleted outside salesync?) and cannot be sent;"
                            + " sending goes on from {}. A resync of this branch repairs the head office.",
                    branchId, highestSent + 1, first - 1, first);
            highestSent = first - 1;
        }
        outboxChanged = true;
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
                .timestamp(Date.from(row.createdAt()))
                .headers(Map.of(MessageHeaders.SCHEMA_VERSION, SaleChangeCodec.SCHEMA_VERSION))
                .build();
        window.sent(channel.getNextPublishSeqNo(), row.seq(), messageId, clock.instant());
        channel.basicPublish(topology.salesExchange(), Topology.routingKey(branchId), true, properties, row.payload());
        highestSent = row.seq();
    }

    /** Starts again after the last row the database has as published. */
    private void restartWindow() throws SQLException {
        outboxChanged = true;
        holeSinceNanos = 0;
        highestSent = outbox.restartAfter();
        refreshBacklog(true);
    }

    /**
     * Carries out the head office's requests to send rows again: takes their marks back and starts
     * over on a new channel.
     *
     * @return whether the channel was closed to start over
     */
    private boolean serveResendRequests() throws SQLException {
        boolean restarted = false;
        for (ResendRequest request = resendRequests.poll(); request != null; request = resendRequests.poll()) {
            long taken;
            try {
                recordConfirms(true);
                taken = outbox.markUnsentFrom(request.fromSeq());
            } catch (SQLException e) {
                request.answer().completeExceptionally(e);
                throw e;
            }
            if (taken >= 0) {
                log.info("Branch {}: the head office asked for the changes from {} on again; {} confirmed change(s) are"
                        + " sent again", branchId, request.fromSeq(), taken);
                // In-flight confirms are left behind with the old channel: those rows are sent again too.
                ConfirmWindow old = window;
                window = null;
                old.close();
                closeChannelQuietly(channel);
                channel = null;
                restarted = true;
            }
            request.answer().complete(taken);
            if (restarted) {
                break;
            }
        }
        return restarted;
    }

    /**
     * Closes the failed window and its channel, keeps what the window had confirmed, notes the
     * failure on the row it concerns, and says so once per kind of failure.
     */
    private void discardChannel(ConfirmWindow.Failure failure) {
        ConfirmWindow.Closed closed = window == null ? null : window.close();
        window = null;
        if (closed != null) {
            marks.add(closed.confirmed());
        }
        closeChannelQuietly(channel);
        channel = null;
        probing = true;
        String reason = failure.reason();
        boolean outage = connection == null || !connection.isOpen();
        if (outage) {
            // The connector says so once per outage, in words.
            log.debug("Branch {}: publishing stopped ({})", branchId, reason);
        } else if (!reason.equals(lastFailureLogged)) {
            log.warn("Branch {}: publishing stopped ({}); sending again from the first unconfirmed change", branchId, reason);
            lastFailureLogged = reason;
        } else {
            log.debug("Branch {}: publishing stopped again ({})", branchId, reason);
        }
        long blame = failure.seq() != 0 ? failure.seq() : closed != null ? closed.firstUnsettled() : 0;
        if (blame != 0) {
            try {
                outbox.recordFailure(blame, reason);
            } catch (SQLException e) {
                log.debug("Could not record the failure in the outbox: {}", e.getMessage());
            }
        }
        BrokerState state = failure.unroutable() ? BrokerState.NO_QUEUE
                : connection != null && connection.isOpen() ? BrokerState.CONNECTED : BrokerState.RECONNECTING;
        setBroker(state, reason);
    }

    /** Why a returned message was not taken, for the clerk and the operator. */
    private String unroutable() {
        return "RabbitMQ has no queue for this branch's changes: the head office's queue " + topology.salesQueue()
                + " does not exist or is not bound to " + topology.salesExchange() + " for " + Topology.routingKey(branchId)
                + ". Changes wait in the outbox and are sent once it exists (the head office declares it when it starts).";
    }

    /** A failure in words; a missing exchange means the head office has not set up the broker yet. */
    private ConfirmWindow.Failure failureOf(Exception e) {
        return new ConfirmWindow.Failure(0, connector.describe(e), e instanceof TopologyMissingException);
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
        Duration doubled = failurePause.multipliedBy(2);
        failurePause = doubled.compareTo(MAX_FAILURE_PAUSE) > 0 ? MAX_FAILURE_PAUSE : doubled;
    }

    /** Waits the whole time, whatever commits or confirms arrive; only {@link #close()} ends it early. */
    private void pause(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        try {
            for (long left = duration.toNanos(); left > 0 && running; left = deadline - System.nanoTime()) {
                awaitWork(Duration.ofNanos(left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        woken = true; // what arrived meanwhile is looked at now
    }

    private void setBroker(BrokerState state, String detail) {
        Instant now = clock.instant();
        update(s -> s.withBroker(state, detail, now));
    }

    /** Applies a change to the status and tells the listener, only when something changed. */
    private void update(UnaryOperator<RelayStatus> change) {
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
            recordConfirms(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | SQLException | RuntimeException e) {
            log.debug("Last confirms not recorded on shutdown ({}); those changes will be sent again", e.getMessage());
        }
        if (window != null) {
            window.close();
        }
        closeConnection();
        lock.release();
        for (ResendRequest request = resendRequests.poll(); request != null; request = resendRequests.poll()) {
            request.answer().completeExceptionally(new IllegalStateException("the relay stopped"));
        }
        setBroker(BrokerState.STOPPED, null);
        log.info("Outbox relay for branch {} stopped", branchId);
    }

    private static void closeChannelQuietly(Channel old) {
        if (old != null && old.isOpen()) {
            try {
                old.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                log.debug("Closing the failed channel: {}", e.getMessage());
            }
        }
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
