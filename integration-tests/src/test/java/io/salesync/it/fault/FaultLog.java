package io.salesync.it.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The faults one run injected, when the last one ended, and what the injector observed. */
final class FaultLog {

    private static final Logger log = LoggerFactory.getLogger(FaultLog.class);

    private final String run;
    private final Instant startedAt = Instant.now();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<CompletableFuture<?>> observations = new ArrayList<>();
    private Instant lastEnded;

    FaultLog(String run) {
        this.run = run;
    }

    /** Records {@code count} faults of one kind (a kill, a cut connection, an injected message ...). */
    synchronized void injected(String kind, int count) {
        if (count > 0) {
            counts.merge(kind, count, Integer::sum);
            log.info("{}: {} x {} at {} s", run, count, kind, String.format("%.1f", secondsSinceStart(Instant.now())));
        }
    }

    synchronized void injected(String kind) {
        injected(kind, 1);
    }

    /** The fault in hand is over (process restarted, service back, injection finished). */
    synchronized void ended() {
        lastEnded = Instant.now();
    }

    synchronized void note(String text) {
        notes.add(text);
        log.info("{}: {}", run, text);
    }

    /**
     * Something the injector keeps watching after a fault (how long the product took to recover
     * from it, say), which writes its own {@link #note} when done; {@link #awaitObservations} waits
     * for it before the run is reported.
     */
    synchronized void observe(CompletableFuture<?> observation) {
        observations.add(observation);
    }

    /** Waits until every observation is done, at most {@code timeout} in all; one still running is cancelled. */
    void awaitObservations(Duration timeout) {
        List<CompletableFuture<?>> pending;
        synchronized (this) {
            pending = List.copyOf(observations);
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // each observation notes its own outcome
        }
        pending.forEach(observation -> observation.cancel(true));
    }

    synchronized Instant lastEnded() {
        if (lastEnded == null) {
            throw new IllegalStateException(run + ": no fault was ended");
        }
        return lastEnded;
    }

    synchronized int count() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized String detail() {
        return counts.isEmpty()
                ? "none"
                : counts.entrySet().stream()
                        .map(entry -> entry.getValue() + " x " + entry.getKey())
                        .collect(Collectors.joining(", "));
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    double secondsSinceStart(Instant at) {
        return Duration.between(startedAt, at).toMillis() / 1000.0;
    }
}
