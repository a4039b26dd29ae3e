package io.salesync.headoffice.service;

import io.salesync.headoffice.model.Health;
import io.salesync.headoffice.model.Verification;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Decides how a branch's synchronisation looks. A quiet branch is not a lagging one: each running
 * branch sends a heartbeat with what it has written, so the head office can tell a branch that is
 * alive and idle from one it has not heard from, and knows when it is behind. Pure logic; the rules
 * and times are in docs/head-office.md.
 *
 * <ol>
 *   <li>silent: no heartbeat and no change received for {@code silentAfter} (default 120 s), or never;</li>
 *   <li>lagging: the head office knows it is behind: sequence numbers are missing (a gap not yet
 *       reported), the branch reported in its previous heartbeat a change not applied yet, or in
 *       its latest one, received {@link #LAG_GRACE} ago or longer, a change not applied yet;</li>
 *   <li>healthy: otherwise, including a branch that sends heartbeats and no sales.</li>
 * </ol>
 *
 * {@link #verify} then adds what verification knows: a diverged checkpoint or a reported gap makes
 * it diverged, a running resync lagging. Refused (dead-lettered) messages do not change the colour.
 */
public final class HealthRules {

    /** How long a change a heartbeat reported may take to be applied before the branch counts as behind. */
    public static final Duration LAG_GRACE = Duration.ofSeconds(10);

    /** A verdict and the sentence that explains it. */
    public record Verdict(Health health, String why) {}

    /**
     * What the head office knows of one branch's timing.
     *
     * @param lastChangeAt   when its newest change was applied here (head-office clock), or null
     * @param heartbeatAt    when its latest heartbeat was received (head-office clock), or null
     * @param reportedSeq    the last sequence number that heartbeat said the branch wrote (0 without one)
     * @param previousSeq    the same figure in the heartbeat before it (0 without one)
     * @param unconfirmed    changes that heartbeat said the broker had not confirmed
     * @param appliedThrough every change up to this number has been applied here
     * @param gapSince       when numbers started to be missing (later ones applied), or null
     */
    public record Signals(
            Instant lastChangeAt,
            Instant heartbeatAt,
            long reportedSeq,
            long previousSeq,
            long unconfirmed,
            long appliedThrough,
            Instant gapSince) {

        /** The last time the head office heard from the branch, by heartbeat or change; null if never. */
        public Instant lastContact() {
            if (heartbeatAt == null) {
                return lastChangeAt;
            }
            return lastChangeAt == null || heartbeatAt.isAfter(lastChangeAt) ? heartbeatAt : lastChangeAt;
        }

        /** Changes the branch reported written that are not applied here, 0 when none. */
        public long behind() {
            return Math.max(0, reportedSeq - appliedThrough);
        }
    }

    private HealthRules() {}

    /**
     * @param silentAfter how long the head office may hear nothing before the branch is silent
     * @param now         the head office's clock
     */
    public static Verdict judge(Signals signals, Duration silentAfter, Instant now) {
        Instant contact = signals.lastContact();
        if (contact == null) {
            return new Verdict(Health.SILENT, "Never heard from: no heartbeat and no change received.");
        }
        Duration quiet = Duration.between(contact, now);
        if (quiet.compareTo(silentAfter) >= 0) {
            return new Verdict(
                    Health.SILENT,
                    "No heartbeat and no change for " + human(quiet) + " (last heard " + TIME.format(contact) + ").");
        }
        if (signals.gapSince() != null) {
            return new Verdict(
                    Health.LAGGING,
                    "Changes from no. " + (signals.appliedThrough() + 1) + " missing for "
                            + human(Duration.between(signals.gapSince(), now)) + "; later ones arrived.");
        }
        long behind = signals.behind();
        boolean reportedLongAgo = signals.heartbeatAt() != null
                && Duration.between(signals.heartbeatAt(), now).compareTo(LAG_GRACE) >= 0;
        if (behind > 0 && (signals.previousSeq() > signals.appliedThrough() || reportedLongAgo)) {
            return new Verdict(
                    Health.LAGGING,
                    behind + " change(s) behind: the branch wrote up to no. " + signals.reportedSeq()
                            + (signals.unconfirmed() > 0
                                    ? " (" + signals.unconfirmed() + " not yet confirmed by RabbitMQ)"
                                    : "")
                            + ", applied here up to no. " + signals.appliedThrough() + ".");
        }
        if (signals.heartbeatAt() == null) {
            return new Verdict(Health.HEALTHY, "Up to date; no heartbeat yet, last change " + human(quiet) + " ago.");
        }
        return new Verdict(
                Health.HEALTHY,
                "Up to date; heartbeat " + human(Duration.between(signals.heartbeatAt(), now)) + " ago.");
    }

    /**
     * Adds what verification knows to a timing verdict: a diverged checkpoint or a reported gap
     * outranks everything (the numbers cannot be trusted), a running resync shows its progress
     * (unless the branch is silent), and a matched checkpoint is mentioned.
     *
     * @param verification the branch's verification state, or null
     * @param gapReported  a gap has stayed open longer than the head office waits
     */
    public static Verdict verify(Verdict timing, Verification verification, boolean gapReported) {
        if (verification == null) {
            return timing;
        }
        Verification.Resync resync = verification.resync();
        if (resync != null && resync.running() && timing.health() != Health.SILENT) {
            return new Verdict(
                    Health.LAGGING,
                    "Resync " + resync.percent() + "% (" + resync.applied() + " of " + resync.rows() + " sales).");
        }
        if (gapReported) {
            return new Verdict(
                    Health.DIVERGED,
                    "Changes from no. " + verification.firstMissing() + " never arrived (missing since "
                            + TIME.format(verification.gapSince()) + "); resync to repair.");
        }
        Verification.Checkpoint checkpoint = verification.checkpoint();
        if (checkpoint != null && !checkpoint.matched()) {
            return new Verdict(
                    Health.DIVERGED,
                    "Checkpoint of " + TIME.format(checkpoint.takenAt()) + " " + checkpoint.verdict()
                            + "; resync to repair.");
        }
        if (checkpoint != null) {
            return new Verdict(
                    timing.health(), timing.why() + " Verified " + TIME.format(checkpoint.evaluatedAt()) + ".");
        }
        return timing;
    }

    /**
     * Closed wins: a branch closed by {@code remove-branch} is shown closed whatever its timing or
     * verification, never lagging or silent.
     *
     * @param closedAt when it was closed, or null while it is open
     */
    public static Verdict closedWins(Verdict verdict, Instant closedAt) {
        return closedAt == null ? verdict : new Verdict(Health.CLOSED, "Closed " + TIME.format(closedAt) + ".");
    }

    /**
     * How much attention a verdict asks for, most first: diverged 3, silent 2, lagging 1, healthy 0;
     * any other state (one that needs nothing) -1.
     */
    public static int severity(Health health) {
        return switch (health) {
            case DIVERGED -> 3;
            case SILENT -> 2;
            case LAGGING -> 1;
            case HEALTHY -> 0;
            default -> -1;
        };
    }

    /** Whether a branch in this state needs someone to look at it. */
    public static boolean needsAttention(Health health) {
        return severity(health) > 0;
    }

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    /** "45 s", "3 min", "2 h 5 min", "3 days". */
    public static String human(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        return seconds / 86_400 + " days";
    }
}
