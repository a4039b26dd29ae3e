package io.salesync.headoffice.service;

import io.salesync.common.event.BranchCommand;
import io.salesync.headoffice.model.Verification;
import io.salesync.headoffice.persistence.BranchRequestRepository;
import io.salesync.headoffice.persistence.VerificationRepository;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks branches to send again what the head office lost. A branch keeps its changes in its outbox
 * (for the retention it is configured with), so the head office asks it to resend from the first
 * change it does not hold ({@link BranchCommand.Action#RESEND}); a branch that no longer has them
 * resyncs instead. Two occasions:
 * <ul>
 *   <li>the head office's queue had to be created (it was deleted, say): whatever it held is gone
 *       from RabbitMQ, so every branch heard from before is asked at once;</li>
 *   <li>a gap (changes missing while later ones arrived) has stayed open longer than the gap report
 *       time: that branch is asked, at most once per that time, and once per first missing number
 *       in a day. A gap the resend does not close (a change the head office dead-letters each time
 *       it comes) stays reported for the operator instead of being asked for again and again.</li>
 * </ul>
 * A branch in the middle of a resync is not asked: the resync sends everything anyway.
 *
 * <p>Thread-safe; called from the head office's recovery thread.
 */
public final class LostChangeRecovery {

    private static final Logger log = LoggerFactory.getLogger(LostChangeRecovery.class);
    static final String REQUESTED_BY = "head office (lost changes)";
    /** A gap asked for once and still open is asked for again only after this long. */
    static final Duration SAME_GAP_ASKED_AGAIN_AFTER = Duration.ofDays(1);

    private final VerificationRepository verification;
    private final BranchRequestRepository requests;
    private final BranchRequests sender;
    private final Duration gapReportAfter;
    private final Clock clock;

    public LostChangeRecovery(
            VerificationRepository verification,
            BranchRequestRepository requests,
            BranchRequests sender,
            Duration gapReportAfter,
            Clock clock) {
        this.verification = verification;
        this.requests = requests;
        this.sender = sender;
        this.gapReportAfter = gapReportAfter;
        this.clock = clock;
    }

    /** Asks every branch heard from before for every change after what the head office holds. */
    public synchronized void askEveryBranch(String why) throws SQLException {
        for (Verification branch : verification.verifications()) {
            if (branch.resync() == null || !branch.resync().running()) {
                ask(branch, why);
            }
        }
    }

    /** Asks the branches whose gap has stayed open too long, unless they were asked within that time. */
    public synchronized void askBranchesWithOldGaps() throws SQLException {
        Instant now = clock.instant();
        for (Verification branch : verification.verifications()) {
            if (!branch.gapReported(now, gapReportAfter)
                    || branch.resync() != null && branch.resync().running()) {
                continue;
            }
            Optional<BranchRequestRepository.RepairRequest> asked = requests.lastRepairRequest(branch.branchId());
            if (asked.isPresent()
                    && (Duration.between(asked.get().requestedAt(), now).compareTo(gapReportAfter) < 0
                            || asked.get().fromSeq() == branch.firstMissing()
                                    && Duration.between(asked.get().requestedAt(), now)
                                                    .compareTo(SAME_GAP_ASKED_AGAIN_AFTER)
                                            < 0)) {
                continue;
            }
            ask(
                    branch,
                    "changes from " + branch.firstMissing() + " on have not arrived for "
                            + Duration.between(branch.gapSince(), now).toSeconds() + " s while later ones have");
        }
    }

    private void ask(Verification branch, String why) {
        long from = branch.contiguousSeq() + 1;
        try {
            sender.send(BranchCommand.resend(branch.branchId(), from, clock.instant(), REQUESTED_BY));
            log.warn("Asked branch {} to send its changes from {} on again: {}", branch.branchId(), from, why);
        } catch (BranchRequests.RequestException e) {
            log.warn(
                    "Could not ask branch {} to send its changes from {} on again ({}); asking again later",
                    branch.branchId(),
                    from,
                    e.getMessage());
        }
    }
}
