package io.salesync.common.amqp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once that the broker went away and once that it is back, however many connections of this
 * process notice it and however many attempts they make: a WARN when an outage starts, DEBUG (with
 * the stack trace) for every attempt while it lasts, an INFO with its length when a connection
 * works again. A second WARN only if, during the outage, the broker starts refusing the user (the
 * password was changed meanwhile, say): that needs someone to act, waiting does not.
 *
 * <p>There is one per broker address, vhost and user in the process, so that a branch's relay and
 * its control listener, or the head office's consumer and its publishers, do not each warn about
 * the same outage. Thread-safe.
 */
final class OutageLog {

    // the connector's logger: "BrokerConnector - Lost the connection ..." is where an operator looks
    private static final Logger log = LoggerFactory.getLogger(BrokerConnector.class);
    private static final ConcurrentMap<String, OutageLog> BY_BROKER = new ConcurrentHashMap<>();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final String where;
    private final Clock clock;
    /** When the outage in progress started, null while connected. */
    private Instant since;

    private boolean warnedRefused;

    OutageLog(String where, Clock clock) {
        this.where = where;
        this.clock = clock;
    }

    /** The one for this broker address, vhost and user in this process. */
    static OutageLog of(BrokerSettings settings) {
        String where = "RabbitMQ at " + settings.hostAndPort() + " (vhost " + settings.virtualHost() + ") as user "
                + settings.user();
        return BY_BROKER.computeIfAbsent(where, key -> new OutageLog(key, Clock.systemDefaultZone()));
    }

    /** An open connection was closed by the broker or the network, not by this process. */
    synchronized void lost(String cause) {
        if (since == null) {
            since = clock.instant();
            warnedRefused = false;
            log.warn("Lost the connection to {} ({}); retrying until it answers.", where, cause);
        } else {
            log.debug("Lost the connection to {} ({}) during the outage since {}", where, cause, TIME.format(since));
        }
    }

    /**
     * An attempt to connect failed.
     *
     * @param sentence what failed and what to check
     * @param refused  the broker answered and refused the user or the vhost, rather than not answering
     * @param retry    when the next attempt comes, as the end of the sentence ("Retrying in 500 ms.")
     */
    synchronized void attemptFailed(String sentence, boolean refused, Throwable error, String retry) {
        if (since == null) {
            since = clock.instant();
            warnedRefused = refused;
            log.warn("{} {}", sentence, retry);
        } else if (refused && !warnedRefused) {
            warnedRefused = true;
            log.warn("{} {}", sentence, retry);
        } else {
            log.debug("{} {}", sentence, retry, error);
        }
    }

    /** A connection works; returns whether that ended an outage (and said so). */
    synchronized boolean connected() {
        if (since == null) {
            return false;
        }
        Instant now = clock.instant();
        log.info(
                "The connection to {} is back after {} (down since {}).",
                where,
                length(Duration.between(since, now)),
                TIME.format(since));
        since = null;
        warnedRefused = false;
        return true;
    }

    /** "7 s", "3 min 5 s", "2 h 10 min". */
    static String length(Duration duration) {
        long seconds = Math.max(1, (duration.toMillis() + 999) / 1000);
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
