package io.salesync.headoffice.service;

import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.headoffice.persistence.ChangeMarks;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live refresh of a window that has no consumer: asks the database every poll interval whether
 * the consuming head office applied or refused anything since ({@link ChangeMarks}, a read of a few
 * rows), and tells the listener when what it saw changed. One query at a time, on the thread
 * {@code ho-view-watch}.
 */
public final class ChangeWatch implements AutoCloseable {

    /** Told on the watch's thread when the count of changes seen, or the database's state, changed. */
    @FunctionalInterface
    public interface Listener {

        /**
         * @param changes         grows by one each time the tables showed something new
         * @param databaseProblem a sentence when the last read failed, null when it worked
         */
        void seen(long changes, String databaseProblem);
    }

    private static final Logger log = LoggerFactory.getLogger(ChangeWatch.class);

    private final ChangeMarks marks;
    private final DatabaseSettings settings;
    private final Duration every;
    private final Listener listener;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread watch = new Thread(runnable, "ho-view-watch");
        watch.setDaemon(true);
        return watch;
    });
    private ChangeMarks.Mark last;
    private long changes;
    private String problem;
    private boolean told;

    public ChangeWatch(ChangeMarks marks, DatabaseSettings settings, Duration every, Listener listener) {
        this.marks = marks;
        this.settings = settings;
        this.every = every;
        this.listener = listener;
    }

    /** Reads at once, then every poll interval until closed. */
    public ChangeWatch start() {
        thread.scheduleWithFixedDelay(this::poll, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void poll() {
        String failure = null;
        long before = changes;
        try {
            ChangeMarks.Mark mark = marks.read();
            if (!mark.equals(last)) {
                last = mark;
                changes++;
            }
        } catch (SQLException | RuntimeException e) {
            failure = Databases.unreachableMessage(settings, e);
        }
        if (!Objects.equals(failure, problem)) {
            if (failure != null) {
                log.warn("{} Asking again every {} ms.", failure, every.toMillis());
            } else {
                log.info("The head office's database answers again");
            }
        }
        if (!told || changes != before || !Objects.equals(failure, problem)) {
            told = true;
            problem = failure;
            listener.seen(changes, failure);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
