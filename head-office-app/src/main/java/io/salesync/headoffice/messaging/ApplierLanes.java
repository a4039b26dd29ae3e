package io.salesync.headoffice.messaging;

import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.event.BranchMessage;
import io.salesync.headoffice.persistence.AggregateRepository.DeadLetter;
import io.salesync.headoffice.service.ChangeApplier;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Threads: {@link #submit} and {@link #submitDeadLetter} are called by the consumer's thread
 * only; each lane is a named thread ("ho-applier-N") that holds one pooled connection while it
 * applies.
 */
final class ApplierLanes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApplierLanes.class);
    private static final Duration MAX_DB_BACKOFF = Duration.ofSeconds(15);
    private static final int DEADLOCK_RETRIES = 5;

    /** What the lanes tell the consumer about the database. */
    interface DatabaseListener {
        /** The database refused a batch; it is held and tried again. */
        void problem(String sentence);

        /** A batch was committed; each of its items was told so first. */
        void committed();
    }

    /** Told when the item handed over with it is committed. */
    @FunctionalInterface
    interface Committed {
        void committed();
    }

    /** A change to apply, or the record of a dead-lettered message to write. */
    private record Item(BranchMessage message, DeadLetter deadLetter, Committed done) {
    }

    private static final Item STOP = new Item(null, null, () -> { });

    private final ChangeApplier applier;
    private final int batchSize;
    private final Duration linger;
    private final DatabaseSettings databaseSettings;
    private final DatabaseListener listener;
    private final List<BlockingQueue<Item>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, Integer> laneOfBranch = new HashMap<>();
    private volatile boolean running = true;

    /**
     * @param batchSize most items applied in one transaction
     * @param linger    how long a lane waits for more once it has a first item (0: take what is there)
     */
    ApplierLanes(ChangeApplier applier, int lanes, int batchSize, Duration linger, DatabaseSettings databaseSettings,
                 DatabaseListener listener) {
        if (lanes < 1) {
            throw new IllegalArgumentException("at least one lane, not " + lanes);
        }
        this.applier = applier;
        this.batchSize = batchSize;
        this.linger = linger;
        this.databaseSettings = databaseSettings;
        this.listener = listener;
        for (int i = 0; i < lanes; i++) {
            BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
            queues.add(queue);
            threads.add(new Thread(() -> run(queue), "ho-applier-" + (i + 1)));
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    int size() {
        return queues.size();
    }

    /** Hands a message to its branch's lane. */
    void submit(BranchMessage message, Committed done) {
        int lane = laneOfBranch.computeIfAbsent(message.branchId(), branch -> laneOfBranch.size() % queues.size());
        queues.get(lane).add(new Item(message, null, done));
    }

    /** Hands the record of a dead-lettered message to the first lane. */
    void submitDeadLetter(DeadLetter deadLetter, Committed done) {
        queues.get(0).add(new Item(null, deadLetter, done));
    }

    private void run(BlockingQueue<Item> queue) {
        List<Item> batch = new ArrayList<>(batchSize);
        List<BranchMessage> messages = new ArrayList<>(batchSize);
        List<DeadLetter> deadLetters = new ArrayList<>();
        try {
            while (running) {
                if (!take(queue, batch)) {
                    return;
                }
                for (Item item : batch) {
                    if (item.message() != null) {
                        messages.add(item.message());
                    } else {
                        deadLetters.add(item.deadLetter());
                    }
                }
                applyUntilCommitted(messages, deadLetters);
                batch.forEach(item -> item.done().committed());
                listener.committed();
                batch.clear();
                messages.clear();
                deadLetters.clear();
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

    private void applyUntilCommitted(List<BranchMessage> messages, List<DeadLetter> deadLetters) throws InterruptedException {
        long backoff = 500;
        int deadlocks = 0;
        while (true) {
            try {
                applier.apply(messages, deadLetters);
                return;
            } catch (SQLException | RuntimeException e) {
                if (isDeadlock(e) && deadlocks++ < DEADLOCK_RETRIES) {
                    log.debug("A batch of {} change(s) met a deadlock and was rolled back; applying it again", messages.size());
                    continue;
                }
                String problem = Databases.unreachableMessage(databaseSettings, e)
                        + " Holding " + messages.size() + " change(s) unacknowledged; they stay queued until it answers.";
                log.warn("{} Retrying in {} ms.", problem, backoff);
                listener.problem(problem);
                if (!running) {
                    throw new InterruptedException("stopping with an unapplied batch; the broker redelivers it");
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_DB_BACKOFF.toMillis());
            }
        }
    }

    /** InnoDB chose this transaction as a deadlock victim, or gave up waiting for a lock. */
    static boolean isDeadlock(Throwable e) {
        return e instanceof SQLTransactionRollbackException
                || e instanceof SQLException sql && (sql.getErrorCode() == 1213 || sql.getErrorCode() == 1205);
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
