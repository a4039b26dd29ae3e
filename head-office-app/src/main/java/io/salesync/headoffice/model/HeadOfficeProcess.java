package io.salesync.headoffice.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A head-office process that consumes the queue, as it last said.
 *
 * @param process  {@code pid@host}
 * @param activeAt when it last was the queue's active consumer, or null
 */
public record HeadOfficeProcess(String process, Instant startedAt, Instant lastSeenAt, Instant activeAt) {

    /** How long a process may be silent and still count as running. */
    public static final Duration SEEN_WITHIN = Duration.ofSeconds(20);

    /** Running and the active consumer at {@code now}. */
    public boolean activeAt(Instant now) {
        return activeAt != null && Duration.between(activeAt, now).compareTo(SEEN_WITHIN) <= 0;
    }

    /**
     * One line: which process consumes and how many stand by, for {@code status} and the window.
     *
     * @param processes those seen within {@link #SEEN_WITHIN}
     */
    public static String summary(List<HeadOfficeProcess> processes, Instant now) {
        HeadOfficeProcess active =
                processes.stream().filter(p -> p.activeAt(now)).findFirst().orElse(null);
        long standingBy = processes.stream().filter(p -> p != active).count();
        if (processes.isEmpty()) {
            return "no head-office process consuming";
        }
        return (active == null ? "no active head-office process" : "active " + active.process()) + ", " + standingBy
                + " standing by";
    }
}
