package io.salesync.branch.messaging;

import com.rabbitmq.client.ChannelContinuationTimeoutException;
import io.salesync.branch.config.RelaySettings;
import io.salesync.branch.messaging.RelayStatus.BrokerState;
import io.salesync.branch.persistence.OutboxRepository;
import io.salesync.branch.persistence.OutboxRepository.OutboxMessage;
import io.salesync.branch.persistence.RelayLock;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.common.amqp.TopologyMissingException;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the branch's outbox to the broker in sequence order and marks a row published only after
 * the broker confirmed it.
 *
 * <p>Messages are persistent and mandatory, published to the durable sales exchange with publisher
 * confirms; up to {@code confirmWindow} are in flight at once, tracked by the {@link ConfirmWindow}
 * of their {@link RelayChannel}. A nack, a return (no queue took the message), a confirm that does
 * not come within the timeout, or a lost channel ends that window: the channel is closed and the
 * relay sends everything again from the first unconfirmed row ({@link SendCursor}) on a new channel,
 * first one message alone until the broker confirms it, then a full window. The head office applies
 * idempotently, so a resent change is harmless; a lost one is impossible, because nothing is marked
 * without a confirm of a message that was routed to a queue. Confirms are recorded in the outbox in
 * runs ({@link ConfirmedMarks}); old confirmed rows are pruned ({@link OutboxPruner}). Beside the
 * outbox, a {@link HeartbeatSender} tells the head office the relay runs.
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
    private static final Duration DATABASE_PAUSE = Duration.ofSeconds(2); // before trying the database again

    private final String branchId;
    private final OutboxRepository outbox;
    private final RelayLock lock;
    private final BrokerConnector connector;
    private final Topology topology;
    private final RelaySettings settings;
    private final DatabaseSettings databaseSettings;
    private final Clock clock;
    private final SendCursor cursor;
    private final ConfirmedMarks marks;
    private final OutboxPruner pruner;
    private final HeartbeatSender heartbeats;
    private final Wakeup wakeup = new Wakeup();
    private final RelayStatusBoard status;
    private final Thread thread;
    private final ResendRequests resendRequests = new ResendRequests();
    private volatile boolean running = true;
    private final RelaySession session;

    // Relay thread only.
    private RelayChannel channel;
    private Instant lastLockCheck = Instant.EPOCH;
    private Instant lastBacklogRefresh = Instant.EPOCH;

    public OutboxRelay(
            String branchId,
            OutboxRepository outbox,
            RelayLock lock,
            BrokerConnector connector,
            Topology topology,
            RelaySettings settings,
            DatabaseSettings databaseSettings,
            Clock clock,
            Consumer<RelayStatus> statusListener) {
        this.branchId = branchId;
        this.outbox = outbox;
        this.lock = lock;
        this.connector = connector;
        this.topology = topology;
        this.settings = settings;
        this.databaseSettings = databaseSettings;
        this.clock = clock;
        this.cursor = new SendCursor(branchId, outbox, settings.idlePoll());
        this.marks = new ConfirmedMarks(outbox, clock);
        this.pruner = new OutboxPruner(branchId, outbox, settings.outboxRetention(), clock);
        this.heartbeats = new HeartbeatSender(branchId, outbox, settings.heartbeat(), clock);
        this.status = new RelayStatusBoard(clock, statusListener);
        this.session = new RelaySession(
                branchId,
                connector,
                topology,
                outbox,
                marks,
                status,
                wakeup,
                () -> running,
                () -> refreshBacklog(true));
        this.thread = new Thread(this::run, "outbox-relay-" + branchId);
    }

    public void start() {
        thread.start();
    }

    /** Asks the relay to look at the outbox now (after a commit). Cheap; any thread. */
    public void wake() {
        cursor.changed();
        wakeup.signal();
    }

    /**
     * Hands over outbox rows that were just committed and wakes the relay. Cheap; any thread. Rows
     * it does not keep (while it is not sending, or beyond its limit) are read from the outbox later;
     * rows it keeps are not read back.
     */
    public void committed(List<OutboxMessage> rows) {
        if (status.broker() != BrokerState.CONNECTED || !cursor.handOver(rows)) {
            cursor.changed(); // read from the outbox later
        }
        wakeup.signal();
    }

    /**
     * Asks the relay to send every row from {@code fromSeq} on again (the head office lost them).
     * Any thread; the relay thread carries it out while it holds the branch's relay lock.
     *
     * @return completes with the number of rows that were confirmed before and are sent again, or
     *         -1 when rows from {@code fromSeq} on were already deleted and cannot be sent again
     */
    public CompletableFuture<Long> resendFrom(long fromSeq) {
        CompletableFuture<Long> answer = resendRequests.ask(fromSeq);
        wakeup.signal();
        return answer;
    }

    public RelayStatus status() {
        return status.current();
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
                databaseProblem(e);
            } catch (IOException | RuntimeException e) {
                if (e instanceof ChannelContinuationTimeoutException) {
                    session.abandonConnection("no reply within " + BrokerConnector.RPC_TIMEOUT.toSeconds() + " s");
                }
                session.giveUp(
                        new ConfirmWindow.Failure(0, connector.describe(e), e instanceof TopologyMissingException));
                channel = null;
            }
        }
        shutdown();
    }

    /** One pass: hold the lock, have a channel, record confirms, send what fits the window, wait. */
    private void step() throws InterruptedException, SQLException, IOException {
        if (!holdLock()) {
            status.broker(BrokerState.STANDBY, "another process is sending this branch's changes");
            wakeup.await(LOCK_CHECK, () -> running);
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
            return;
        }
        boolean more = publishNext();
        heartbeats.sendWhenDue(channel);
        refreshBacklog(false);
        pruner.pruneWhenDue(() -> running);
        if (!more || channel.window().size() >= windowLimit()) {
            wakeup.await(nextWait(), () -> running);
        }
    }

    /** Until the next confirm is due to be recorded, the oldest confirm is late, or the outbox is polled. */
    private Duration nextWait() {
        Duration wait = channel.window().size() == 0 ? settings.idlePoll() : Duration.ofMillis(50);
        if (cursor.waitingAtHole()) {
            wait = Duration.ofMillis(Math.min(wait.toMillis(), 200));
        }
        if (!marks.isEmpty() && marks.dueIn().compareTo(wait) < 0) {
            wait = marks.dueIn();
        }
        wait = heartbeats.dueIn().compareTo(wait) < 0 ? heartbeats.dueIn() : wait;
        return wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait;
    }

    /** Messages allowed in flight: one while probing after a failure, else the configured window. */
    private int windowLimit() {
        return session.probing() ? 1 : settings.confirmWindow();
    }

    private boolean holdLock() throws SQLException {
        Instant now = clock.instant();
        if (Duration.between(lastLockCheck, now).compareTo(LOCK_CHECK) < 0
                && status.broker() != BrokerState.STANDBY
                && status.broker() != BrokerState.STARTING) {
            return true;
        }
        lastLockCheck = now;
        boolean held = lock.tryAcquire();
        if (held && status.current().databaseProblem() != null) {
            status.update(s -> s.withDatabaseProblem(null));
        }
        return held;
    }

    /**
     * Has an open channel: after opening a new one, records what is confirmed and starts sending
     * again after the last confirmed row.
     */
    private boolean haveChannel() throws InterruptedException, IOException, SQLException {
        channel = session.channel();
        if (channel != null) {
            return true;
        }
        channel = session.open();
        if (channel == null) {
            return false;
        }
        recordConfirms(true);
        cursor.restartAfter(outbox.restartAfter());
        refreshBacklog(true);
        if (status.broker() != BrokerState.NO_QUEUE) {
            status.broker(BrokerState.CONNECTED, null);
        }
        return true;
    }

    /** Takes the window's confirms and records them in the outbox when due (or {@code now}). */
    private void recordConfirms(boolean now) throws SQLException {
        if (channel != null) {
            List<Long> confirmed = channel.window().takeConfirmed();
            if (!confirmed.isEmpty()) {
                marks.add(confirmed);
                session.confirmed();
            }
        }
        ConfirmedMarks.Recorded recorded = marks.flush(now);
        if (recorded != null) {
            status.update(s -> s.withConfirmed(recorded.at(), recorded.highest()));
        }
    }

    /** Ends the window when it failed or its oldest confirm is late; the relay then sends again from the first unconfirmed row. */
    private boolean windowEnded() {
        ConfirmWindow window = channel.window();
        Instant oldest = window.oldestSentAt();
        if (oldest != null && Duration.between(oldest, clock.instant()).compareTo(settings.confirmTimeout()) > 0) {
            window.timedOut("no confirm within " + settings.confirmTimeout().toMillis() + " ms");
            session.abandonConnection(
                    "no confirm within " + settings.confirmTimeout().toMillis() + " ms");
        }
        ConfirmWindow.Failure failure = window.failure();
        if (failure == null) {
            return false;
        }
        session.giveUp(failure);
        channel = null;
        return true;
    }

    /**
     * Publishes the next rows that fit the confirm window, in sequence order.
     *
     * @return whether more may be waiting right now (as many as the limit, all of them sent)
     */
    private boolean publishNext() throws SQLException, IOException {
        int room = windowLimit() - channel.window().size();
        if (room <= 0) {
            return false;
        }
        SendCursor.Batch batch = cursor.next(Math.min(room, settings.batchSize()));
        int published = 0;
        for (OutboxMessage row : batch.rows()) {
            if (channel.window().failure() != null) {
                break;
            }
            channel.publish(row, clock.instant());
            cursor.sent(row.seq());
            published++;
        }
        return batch.full() && published == batch.rows().size();
    }

    /**
     * Carries out the head office's requests to send rows again: takes their marks back and starts
     * over on a new channel (confirms still in flight are left behind with the old one: those rows
     * are sent again too).
     *
     * @return whether the channel was closed to start over
     */
    private boolean serveResendRequests() throws SQLException {
        for (ResendRequests.Request request = resendRequests.next(); request != null; request = resendRequests.next()) {
            long taken;
            try {
                recordConfirms(true);
                taken = outbox.markUnsentFrom(request.fromSeq());
            } catch (SQLException e) {
                request.answer().completeExceptionally(e);
                throw e;
            }
            request.answer().complete(taken);
            if (taken >= 0) {
                log.info(
                        "Branch {}: the head office asked for the changes from {} on again; {} confirmed change(s) are"
                                + " sent again",
                        branchId,
                        request.fromSeq(),
                        taken);
                session.startOver();
                channel = null;
                return true;
            }
        }
        return false;
    }

    /** Says once per kind of problem that the branch database does not answer, and waits a little. */
    private void databaseProblem(SQLException e) {
        String problem = Databases.unreachableMessage(databaseSettings, e);
        if (!problem.equals(status.current().databaseProblem())) {
            log.warn("Branch {}: {} Changes wait in the outbox.", branchId, problem);
        } else {
            log.debug("Branch {}: still {}", branchId, problem);
        }
        status.update(s -> s.withDatabaseProblem(problem));
        session.pause(DATABASE_PAUSE);
    }

    private void refreshBacklog(boolean now) {
        Instant at = clock.instant();
        if (!now && Duration.between(lastBacklogRefresh, at).compareTo(BACKLOG_REFRESH) < 0) {
            return;
        }
        lastBacklogRefresh = at;
        try {
            long backlog = outbox.backlog();
            status.update(s -> s.withBacklog(backlog));
        } catch (SQLException e) {
            String problem = Databases.unreachableMessage(databaseSettings, e);
            status.update(s -> s.withDatabaseProblem(problem));
        }
    }

    private void shutdown() {
        session.close();
        channel = null;
        try {
            recordConfirms(true);
        } catch (SQLException | RuntimeException e) {
            log.debug("Last confirms not recorded on shutdown ({}); those changes will be sent again", e.getMessage());
        }
        lock.release();
        resendRequests.failAll("the relay stopped");
        status.broker(BrokerState.STOPPED, null);
        log.info("Outbox relay for branch {} stopped", branchId);
    }
}
