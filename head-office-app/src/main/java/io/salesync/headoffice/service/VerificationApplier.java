package io.salesync.headoffice.service;

import io.salesync.common.db.SaleChecksum;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.ResyncMarker;
import io.salesync.headoffice.persistence.BranchRequestRepository;
import io.salesync.headoffice.persistence.DailySummaries;
import io.salesync.headoffice.persistence.VerificationRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch's checkpoints and resync markers where they stand in it, in the caller's
 * transaction: a checkpoint is compared with the head office's figures for its branch, a resync
 * start sets the branch's state afresh (only a resync the head office asked for), and a resync end
 * removes the rows the branch did not resend.
 */
final class VerificationApplier {

    private static final Logger log = LoggerFactory.getLogger(VerificationApplier.class);

    private final VerificationRepository verification;
    private final BranchRequestRepository requests;

    VerificationApplier(VerificationRepository verification, BranchRequestRepository requests) {
        this.verification = verification;
        this.requests = requests;
    }

    /** Compares a checkpoint with the head office's figures for its branch and records the verdict. */
    void compare(Connection connection, BranchCheckpoint checkpoint, long missing, boolean laterApplied, Instant now)
            throws SQLException {
        if (laterApplied) {
            log.info(
                    "Branch {} checkpoint {} arrived after later changes; its figures no longer apply here, the next"
                            + " checkpoint decides",
                    checkpoint.branchId(),
                    checkpoint.seq());
            return;
        }
        SaleChecksum.Figures here = verification.figures(connection, checkpoint.branchId());
        boolean matched = checkpoint.figures().matches(here);
        verification.recordCheckpoint(connection, checkpoint, here, missing, matched, now);
        if (matched) {
            log.info(
                    "Branch {} checkpoint {} ({}) matched: {} sales, {} live",
                    checkpoint.branchId(),
                    checkpoint.seq(),
                    checkpoint.trigger(),
                    here.rows(),
                    here.liveRows());
        } else {
            log.warn(
                    "Branch {} checkpoint {} ({}) DIVERGED: branch {} sales, {} live, checksum {}; head office {} sales,"
                            + " {} live, checksum {}; {} earlier change(s) missing. A resync repairs it: ./salesync resync --branch {}",
                    checkpoint.branchId(),
                    checkpoint.seq(),
                    checkpoint.trigger(),
                    checkpoint.figures().rows(),
                    checkpoint.figures().liveRows(),
                    checkpoint.figures().checksum(),
                    here.rows(),
                    here.liveRows(),
                    here.checksum(),
                    missing,
                    checkpoint.branchId());
        }
    }

    /**
     * Starts a resync the head office asked for: from its marker on, what the branch sends is the
     * whole truth about it, so its state here starts afresh there, lower or higher than before.
     *
     * @return why the start is refused, or null (applied, or a duplicate of one applied)
     */
    String startResync(Connection connection, ResyncMarker marker, SequenceTracker tracker, Instant now)
            throws SQLException {
        switch (requests.claimResyncStart(connection, marker.branchId(), marker.resyncId(), now)) {
            case NOT_REQUESTED -> {
                log.warn(
                        "Branch {} started resync {} at change {}, which the head office did not ask for; refused",
                        marker.branchId(),
                        marker.resyncId(),
                        marker.seq());
                return "resync " + marker.resyncId() + " was not asked for by the head office: a branch resyncs only"
                        + " on request (./salesync resync --branch " + marker.branchId() + ")";
            }
            case ALREADY_STARTED -> {
                log.debug("Branch {} resync {} start already applied; skipped", marker.branchId(), marker.resyncId());
                return null;
            }
            default -> {
                tracker.resetTo(marker.seq());
                verification.startResync(connection, marker, now);
                log.info(
                        "Branch {} resync {} started at change {}: {} sales follow",
                        marker.branchId(),
                        marker.resyncId(),
                        marker.seq(),
                        marker.rows());
                return null;
            }
        }
    }

    /** At the end of a resync, rows no change since its start mentioned are not at the branch: they go. */
    void finishResync(Connection connection, int lane, ResyncMarker marker, Instant now) throws SQLException {
        long from = verification.runningResyncStart(connection, marker);
        if (from < 0) {
            log.warn(
                    "Branch {} resync {} finished, but its start was not applied here; nothing removed",
                    marker.branchId(),
                    marker.resyncId());
            return;
        }
        VerificationRepository.Removal removed = verification.removeNotResent(connection, marker.branchId(), from);
        DailySummaries.add(connection, lane, removed.deltas());
        verification.finishResync(connection, marker, removed.rows(), now);
        log.info(
                "Branch {} resync {} finished: {} sales resent, {} row(s) the branch no longer has removed",
                marker.branchId(),
                marker.resyncId(),
                marker.rows(),
                removed.rows());
    }
}
