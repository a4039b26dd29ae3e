package io.salesync.headoffice.messaging;

import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.event.BranchMessage;
import io.salesync.headoffice.model.DeadLetter;
import io.salesync.headoffice.persistence.DailySummaries;
import io.salesync.headoffice.service.ChangeApplier;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransactionRollbackException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what the consumer received on a few threads ("lanes"), each with its own share of the
 * branches and its own database transactions, so that MySQL works on one lane's transaction while
 * the next lane's statements are being built: with one thread, the two took turns.
 *
 * <p>A branch is given to a lane when it is first heard from and stays there, and a lane applies its
 * changes in the order they were handed over, so each branch's changes are applied in the order they
 * arrived, as with one thread. A lane takes everything waiting for it when it starts a transaction,
 * up to the batch size: while it commits, the next batch grows by itself. Lanes never touch the
 * same branch's rows; a deadlock between them (InnoDB gap locks at the edge of two branches' key
 * ranges, or two branches heard from for the first time at once) rolls one transaction back, and it
 * is applied again at once.
 *
 * <p>When the database refuses a batch, the failure decides what happens. The server unreachable,
 * access refused or anything else that is not about the data: the batch is held and tried again,
 * nothing is acknowledged, so nothing is lost. A value the database will not store (an SQL data or
 * constraint error) or an error in building the statements: the fault lies with some message, so
 * the batch is split in halves, each applied in its own transaction, down to the one message at
 * fault, which is {@link Delivered#refused refused} with the database's reason and dead-lettered;
 * every other message, of that branch and the others, is applied. No message can hold up the lanes.
 *
 * <p>Threads: {@link #submit} and {@link #submitDeadLetter} are called by the consumer's thread
 * only; each lane is a named thread ("ho-applier-N") that holds one pooled connection while it
 * applies.
 */
final class ApplierLanes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApplierLanes.class);
    private static final long FIRST_BACKOFF_MS = 500;
    private static final Duration MAX_DB_BACKOFF = Duration.ofSeconds(15);
    private static final int DEADLOCK_RETRIES = 5;
    /** MySQL and MariaDB errors about a value, not the server, whatever their SQLState (1366, 1411, 3819: HY000). */
    private static final Set<Integer> DATA_ERRORS =
            Set.of(1048, 1264, 1265, 1292, 1365, 1366, 1406, 1411, 1690, 3819, 4025);

    /** What the lanes tell the consumer about the database. */
    interface DatabaseListener {
        /** The database refused a batch; it is held and tried again. */
        void problem(String sentence);

        /** A batch was committed; each of its items was told so first. */
        void committed();
    }

    /** The delivery behind an item: told when it is committed, and whether it was refused. */
    interface Delivered {
        /** The item's transaction committed (for a refused message: its dead-letter record). */
        void committed();

        /** The head office does not apply the message; called before {@link #committed()}. */
        void refused(String reason);

        /** The dead-letter record of the message, refused for {@code reason}. */
        DeadLetter deadLetter(String reason, Instant at);
    }

    /** A change to apply, or the record of a dead-lettered message to write. */
    private record Item(BranchMessage message, DeadLetter deadLetter, Delivered delivered) {}

    private static final Item STOP = new Item(null, null, null);

    private final ChangeApplier applier;
    private final int batchSize;
    private final Duration linger;
    private final DatabaseSettings databaseSettings;
    private final DatabaseListener listener;
    private final Clock clock;
    private final List<BlockingQueue<Item>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, Integer> laneOfBranch = new HashMap<>();
    private volatile boolean running = true;

    /**
     * @param batchSize most items applied in one transaction
     * @param linger    how long a lane waits for more once it has a first item (0: take what is there)
     */
    ApplierLanes(
            ChangeApplier applier,
            int lanes,
            int batchSize,
            Duration linger,
            DatabaseSettings databaseSettings,
            DatabaseListener listener,
            Clock clock) {
        if (lanes < 1 || lanes > DailySummaries.MAX_LANES) {
            throw new IllegalArgumentException("between 1 and " + DailySummaries.MAX_LANES + " lanes, not " + lanes);
        }
        this.applier = applier;
        this.batchSize = batchSize;
        this.linger = linger;
        this.databaseSettings = databaseSettings;
        this.listener = listener;
        this.clock = clock;
        for (int i = 0; i < lanes; i++) {
            BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
            queues.add(queue);
            int lane = i;
            threads.add(new Thread(() -> run(lane, queue), "ho-applier-" + (i + 1)));
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    int size() {
        return queues.size();
    }

    /** Hands a message to its branch's lane. */
    void submit(BranchMessage message, Delivered delivered) {
        int lane = laneOfBranch.computeIfAbsent(message.branchId(), branch -> laneOfBranch.size() % queues.size());
        queues.get(lane).add(new Item(message, null, delivered));
    }

    /** Hands the record of a dead-lettered message to the first lane. */
    void submitDeadLetter(DeadLetter deadLetter, Delivered delivered) {
        queues.get(0).add(new Item(null, deadLetter, delivered));
    }

    private void run(int lane, BlockingQueue<Item> queue) {
        List<Item> batch = new ArrayList<>(batchSize);
        try {
            while (running) {
                if (!take(queue, batch)) {
                    return;
                }
                applyAll(lane, batch);
                listener.committed();
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a first item, then takes what else waits (up to the batch size); false on stop. */
    private boolean take(BlockingQueue<Item> queue, List<Item> batch) throws InterruptedException {
        batch.add(queue.take());
        long deadline = System.nanoTime() + linger.toNanos();
        while (batch.size() < batchSize) {
            queue.drainTo(batch, batchSize - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= batchSize || left <= 0) {
                break;
            }
            Item next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return !batch.contains(STOP);
    }

    /**
     * Applies the items in one transaction, holding them while the database is away, and splits
     * them when a message is at fault (see the class comment). Returns once every item is committed.
     */
    private void applyAll(int lane, List<Item> items) throws InterruptedException {
        long backoff = FIRST_BACKOFF_MS;
        int deadlocks = 0;
        while (true) {
            try {
                applyOnce(lane, items);
                return;
            } catch (SQLException | RuntimeException e) {
                if (isDeadlock(e) && deadlocks++ < DEADLOCK_RETRIES) {
                    log.debug(
                            "A batch of {} item(s) met a deadlock and was rolled back; applying it again",
                            items.size());
                    continue;
                }
                if (isFaultOfAMessage(e)) {
                    split(lane, items, e);
                    return;
                }
                String problem = Databases.unreachableMessage(databaseSettings, e) + " Holding " + items.size()
                        + " change(s) unacknowledged: they stay queued at RabbitMQ and are applied once the database takes them.";
                if (backoff == FIRST_BACKOFF_MS) {
                    log.warn("{} Retrying, {} ms first.", problem, backoff);
                } else {
                    log.debug("{} Retrying in {} ms.", problem, backoff);
                }
                log.debug("The database's failure", e);
                listener.problem(problem);
                if (!running) {
                    throw new InterruptedException("stopping with an unapplied batch; the broker redelivers it");
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_DB_BACKOFF.toMillis());
            }
        }
    }

    private void applyOnce(int lane, List<Item> items) throws SQLException {
        List<BranchMessage> messages = new ArrayList<>(items.size());
        List<DeadLetter> deadLetters = new ArrayList<>();
        Map<BranchMessage, Item> byMessage = new IdentityHashMap<>();
        for (Item item : items) {
            if (item.message() != null) {
                messages.add(item.message());
                byMessage.put(item.message(), item);
            } else {
                deadLetters.add(item.deadLetter());
            }
        }
        List<ChangeApplier.Refusal> refusals = applier.apply(
                lane,
                messages,
                deadLetters,
                (message, reason, at) -> byMessage.get(message).delivered().deadLetter(reason, at));
        for (ChangeApplier.Refusal refusal : refusals) {
            byMessage.get(refusal.message()).delivered().refused(refusal.reason());
        }
        items.forEach(item -> item.delivered().committed());
    }

    /** Applies each half on its own; a single item at fault is refused (or, a record, dropped). */
    private void split(int lane, List<Item> items, Exception fault) throws InterruptedException {
        if (items.size() > 1) {
            log.info(
                    "The database refused a batch of {} item(s) ({}); applying it in halves to find the one at fault",
                    items.size(),
                    Databases.rootMessage(fault));
            int half = items.size() / 2;
            applyAll(lane, List.copyOf(items.subList(0, half)));
            applyAll(lane, List.copyOf(items.subList(half, items.size())));
            return;
        }
        Item item = items.get(0);
        String reason = "the head office's database refused it: " + Databases.rootMessage(fault);
        if (item.message() == null) {
            log.error(
                    "Could not record dead letter {} ({}); the message itself is in the dead-letter queue",
                    item.deadLetter().messageId(),
                    reason,
                    fault);
            item.delivered().committed();
            return;
        }
        BranchMessage message = item.message();
        log.warn("Dead-lettering branch {} message {}: {}", message.branchId(), message.seq(), reason);
        item.delivered().refused(reason);
        applyAll(lane, List.of(new Item(null, item.delivered().deadLetter(reason, clock.instant()), item.delivered())));
    }

    /** InnoDB chose this transaction as a deadlock victim, or gave up waiting for a lock. */
    static boolean isDeadlock(Throwable e) {
        return e instanceof SQLTransactionRollbackException
                || e instanceof SQLException sql && (sql.getErrorCode() == 1213 || sql.getErrorCode() == 1205);
    }

    /**
     * The database answered and refused a value (a data or constraint error), or the statements
     * could not be built from a message at all: the fault lies with some message, not the server.
     */
    static boolean isFaultOfAMessage(Throwable error) {
        if (Databases.isConnectionProblem(error)) {
            return false;
        }
        if (error instanceof RuntimeException) {
            return true;
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLDataException || t instanceof SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (t instanceof SQLException sql
                    && (DATA_ERRORS.contains(sql.getErrorCode())
                            || sql.getSQLState() != null
                                    && (sql.getSQLState().startsWith("22")
                                            || sql.getSQLState().startsWith("23")))) {
                return true;
            }
        }
        return false;
    }

    /** Stops the lanes: the batch being applied finishes, the rest is dropped (it was not acknowledged). */
    @Override
    public void close() {
        running = false;
        for (BlockingQueue<Item> queue : queues) {
            queue.clear();
            queue.add(STOP);
        }
        for (Thread thread : threads) {
            try {
                thread.join(2_000);
                if (thread.isAlive()) {
                    thread.interrupt(); // waiting for the database to come back
                    thread.join(8_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
