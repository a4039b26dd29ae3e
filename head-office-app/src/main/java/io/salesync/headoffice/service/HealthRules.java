package io.salesync.headoffice.service;

import io.salesync.headoffice.model.Health;
import io.salesync.headoffice.model.Verification;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Decides whether a branch looks healthy, lagging or silent. The head office has no heartbeat from
 * the branches, only their changes, so "silent" is relative: a branch is silent when it has sent
 * nothing for {@link #SILENT_AFTER} while another branch did send in that time. Pure logic.
 *
 * <ul>
 *   <li>silent: nothing for 5 minutes while another branch sent within the last 5 minutes;</li>
 *   <li>lagging: its newest change, applied within the last minute, took more than 30 s from the
 *       branch's commit to being applied here (it is catching up a backlog), or nothing for 1 minute while another branch sent within
 *       that minute;</li>
 *   <li>healthy: otherwise, including when every branch is quiet.</li>
 * </ul>
 *
 * Refused (dead-lettered) messages do not change the colour: the panel shows how many wait for a
 * decision next to it, and the dead-letter view says why each was refused.
 */
public final class HealthRules {

    public static final Duration LAG_LIMIT = Duration.ofSeconds(30);
    public static final Duration LAGGING_AFTER = Duration.ofMinutes(1);
    public static final Duration SILENT_AFTER = Duration.ofMinutes(5);

    /** A verdict and the sentence that explains it. */
    public record Verdict(Health health, String why) {}

    private HealthRules() {}

    /**
     * @param lastMessageAt   when the branch made its newest applied change, or null if never
     * @param lastAppliedAt   when that change was applied here, or null
     * @param newestAnyBranch the newest {@code lastMessageAt} of all branches, or null
     * @param now             the head office's clock
     */
    public static Verdict judge(Instant lastMessageAt, Instant lastAppliedAt, Instant newestAnyBranch, Instant now) {
        boolean othersActive = newestAnyBranch != null
                && Duration.between(newestAnyBranch, now).compareTo(SILENT_AFTER) < 0;
        if (lastMessageAt == null) {
            return othersActive
                    ? new Verdict(Health.SILENT, "Nothing received yet, while others send.")
                    : new Verdict(Health.LAGGING, "Nothing received yet.");
        }
        Duration quiet = Duration.between(lastMessageAt, now);
        Duration behindOthers = Duration.between(lastMessageAt, newestAnyBranch);
        if (othersActive && behindOthers.compareTo(SILENT_AFTER) >= 0) {
            return new Verdict(Health.SILENT, "Quiet for " + human(quiet) + " while others send.");
        }
        Duration lag = lastAppliedAt == null ? Duration.ZERO : Duration.between(lastMessageAt, lastAppliedAt);
        boolean appliedJustNow =
                lastAppliedAt != null && Duration.between(lastAppliedAt, now).compareTo(LAGGING_AFTER) < 0;
        if (lag.compareTo(LAG_LIMIT) > 0 && appliedJustNow) {
            return new Verdict(Health.LAGGING, "Changes arrive " + human(lag) + " late.");
        }
        if (othersActive && behindOthers.compareTo(LAGGING_AFTER) >= 0) {
            return new Verdict(Health.LAGGING, "Quiet for " + human(quiet) + " while others send.");
        }
        return new Verdict(
                Health.HEALTHY, quiet.compareTo(SILENT_AFTER) >= 0 ? "Up to date; all branches quiet." : "Up to date.");
    }

    /**
     * Adds what verification knows to a timing verdict: a diverged checkpoint or a reported gap
     * outranks everything (the numbers cannot be trusted), a running resync shows its progress,
     * and a matched checkpoint is mentioned.
     *
     * @param verification the branch's verification state, or null
     * @param gapReported  a gap has stayed open longer than the head office waits
     */
    public static Verdict verify(Verdict timing, Verification verification, boolean gapReported) {
        if (verification == null) {
            return timing;
        }
        Verification.Resync resync = verification.resync();
        if (resync != null && resync.running()) {
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
