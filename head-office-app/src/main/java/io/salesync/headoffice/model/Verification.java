package io.salesync.headoffice.model;

import io.salesync.common.db.SaleChecksum;
import java.time.Duration;
import java.time.Instant;

/**
 * What the head office knows about one branch's completeness: which sequence numbers it has
 * applied, the latest checkpoint's verdict and the latest resync.
 *
 * @param contiguousSeq every change of the branch up to this sequence number has been applied
 * @param receivedRanges numbers applied above it ("first-last,..."), empty without a gap
 * @param gapSince      when the current gap opened, or null
 * @param checkpoint    the latest checkpoint, or null before the first
 * @param resync        the latest resync, or null when there was none
 */
public record Verification(
        String branchId,
        long contiguousSeq,
        String receivedRanges,
        Instant gapSince,
        Checkpoint checkpoint,
        Resync resync) {

    /**
     * The latest checkpoint and the head office's figures for the branch at that point.
     *
     * @param missingChanges changes before the checkpoint that had not arrived when it was compared
     */
    public record Checkpoint(
            long seq,
            Instant takenAt,
            String trigger,
            Instant evaluatedAt,
            SaleChecksum.Figures atBranch,
            SaleChecksum.Figures atHeadOffice,
            long missingChanges,
            boolean matched,
            Instant lastMatchedAt) {

        /** "matched", or "diverged" with what differs. */
        public String verdict() {
            if (matched) {
                return "matched";
            }
            String figures = "branch " + atBranch.rows() + " sales (" + atBranch.liveRows() + " live), head office "
                    + atHeadOffice.rows() + " (" + atHeadOffice.liveRows() + " live)"
                    + (atBranch.rows() == atHeadOffice.rows() && atBranch.liveRows() == atHeadOffice.liveRows()
                            ? ", checksums differ"
                            : "");
            return "diverged: " + figures
                    + (missingChanges > 0 ? "; " + missingChanges + " earlier change(s) never arrived" : "");
        }
    }

    /** The latest resync: running while {@code finishedAt} is null. */
    public record Resync(String id, long rows, long applied, Instant startedAt, Instant finishedAt, Long removed) {

        public boolean running() {
            return finishedAt == null;
        }

        /** Share of the branch's sales applied so far, 0 to 100. */
        public int percent() {
            return rows == 0 ? 100 : (int) Math.min(100, applied * 100 / rows);
        }
    }

    public boolean hasGap() {
        return gapSince != null;
    }

    /** A gap is reported once it has stayed open longer than {@code limit}. */
    public boolean gapReported(Instant now, Duration limit) {
        return gapSince != null && Duration.between(gapSince, now).compareTo(limit) > 0;
    }

    /** The first sequence number that has not arrived while later ones have, or 0. */
    public long firstMissing() {
        return hasGap() ? contiguousSeq + 1 : 0;
    }

    /** The first applied number after the gap, or 0. */
    public long resumedAt() {
        if (receivedRanges == null || receivedRanges.isBlank()) {
            return 0;
        }
        return Long.parseLong(receivedRanges.substring(0, receivedRanges.indexOf('-')));
    }
}
