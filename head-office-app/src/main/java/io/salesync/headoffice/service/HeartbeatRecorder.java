package io.salesync.headoffice.service;

import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.event.BranchHeartbeat;
import io.salesync.headoffice.model.LastHeartbeat;
import io.salesync.headoffice.persistence.HeartbeatRepository;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the branches' heartbeats without ever holding up the consumer: {@link #offer} only puts
 * the heartbeat in a map (the newest per branch wins), and a thread of its own ("ho-heartbeats")
 * writes what it holds every {@value #WRITE_EVERY_MS} ms, one upsert per branch. While the database
 * does not answer, the newest heartbeat of each branch waits; at most {@value #MOST_BRANCHES}
 * branches are held (a branch is an authenticated broker user, so this is far beyond any chain).
 */
public final class HeartbeatRecorder implements AutoCloseable {

    static final int WRITE_EVERY_MS = 1000;
    static final int MOST_BRANCHES = 10_000;
    private static final Logger log = LoggerFactory.getLogger(HeartbeatRecorder.class);

    private final HeartbeatRepository repository;
    private final DatabaseSettings settings;
    private final Clock clock;
    private final Map<String, LastHeartbeat> waiting = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private String lastProblem;

    public HeartbeatRecorder(HeartbeatRepository repository, DatabaseSettings settings, Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.clock = clock;
        this.thread = new Thread(this::run, "ho-heartbeats");
        this.thread.setDaemon(true);
    }

    public HeartbeatRecorder start() {
        thread.start();
        return this;
    }

    /** A heartbeat the consumer accepted, received now. Any thread; never blocks. */
    public void offer(BranchHeartbeat heartbeat) {
        if (waiting.size() >= MOST_BRANCHES && !waiting.containsKey(heartbeat.branchId())) {
            log.warn(
                    "Heartbeat of branch {} not recorded: {} branches wait already",
                    heartbeat.branchId(),
                    MOST_BRANCHES);
            return;
        }
        waiting.put(
                heartbeat.branchId(),
                new LastHeartbeat(
                        heartbeat.branchId(),
                        clock.instant(),
                        heartbeat.sentAt(),
                        heartbeat.lastSeq(),
                        0,
                        heartbeat.unconfirmed(),
                        heartbeat.intervalSeconds()));
    }

    /** Writes what waits now; the recorder's thread calls it, and tests. */
    public void flush() {
        List<LastHeartbeat> taken = new ArrayList<>(waiting.values());
        if (taken.isEmpty()) {
            return;
        }
        try {
            repository.record(taken);
            // a newer heartbeat that came meanwhile stays for the next write
            taken.forEach(heartbeat -> waiting.remove(heartbeat.branchId(), heartbeat));
            if (lastProblem != null) {
                log.info("Heartbeats are recorded again");
                lastProblem = null;
            }
        } catch (SQLException | RuntimeException e) {
            String problem = Databases.unreachableMessage(settings, e);
            if (!problem.equals(lastProblem)) {
                log.warn("Could not record the branches' heartbeats ({}); the newest of each waits", problem);
                lastProblem = problem;
            }
        }
    }

    private void run() {
        while (running) {
            try {
                TimeUnit.MILLISECONDS.sleep(WRITE_EVERY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            flush();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
