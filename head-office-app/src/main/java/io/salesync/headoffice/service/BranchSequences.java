package io.salesync.headoffice.service;

import io.salesync.common.event.BranchMessage;
import io.salesync.common.event.ResyncMarker;
import io.salesync.common.event.SaleChange;
import io.salesync.headoffice.model.BranchProgress;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.persistence.VerificationRepository;
import io.salesync.headoffice.persistence.VerificationRepository.SequenceState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequence state of the branches of one batch, in the caller's transaction: read under lock
 * when the batch starts (one query for all its branches), followed message by message through a
 * {@link SequenceTracker} per branch, and handed back at the end as the state to store with the
 * branches' progress. Branches heard from for the first time get their empty progress row at once,
 * so that a checkpoint or resync in the same batch has a row to update.
 */
final class BranchSequences {

    private static final Logger log = LoggerFactory.getLogger(BranchSequences.class);

    private final Map<String, SequenceState> stored;
    private final Map<String, SequenceTracker> trackers = new TreeMap<>();
    private final Set<String> resyncing = new TreeSet<>();
    private final Map<String, Long> salesPerBranch = new TreeMap<>();

    private BranchSequences(Map<String, SequenceState> stored, List<String> branches) {
        this.stored = stored;
        for (String branch : branches) {
            SequenceState state = stored.get(branch);
            trackers.put(
                    branch,
                    state == null
                            ? new SequenceTracker(0, null)
                            : new SequenceTracker(state.contiguousSeq(), state.receivedRanges()));
            if (state != null && state.resyncRunning()) {
                resyncing.add(branch);
            }
        }
    }

    /** Reads and locks the state of the messages' branches; creates the progress rows of new ones. */
    static BranchSequences lock(
            Connection connection,
            VerificationRepository verification,
            AggregateRepository repository,
            List<? extends BranchMessage> messages,
            Instant now)
            throws SQLException {
        List<String> branches =
                messages.stream().map(BranchMessage::branchId).distinct().toList();
        Map<String, SequenceState> stored = verification.lockSequenceState(connection, branches);
        List<String> firstHeard =
                branches.stream().filter(id -> !stored.containsKey(id)).toList();
        if (!firstHeard.isEmpty()) {
            repository.createProgress(connection, firstHeard, now);
        }
        return new BranchSequences(stored, branches);
    }

    /** The tracker of a branch of the batch. */
    SequenceTracker of(String branchId) {
        return trackers.get(branchId);
    }

    /** A resync of the branch started in this batch: its sale changes count towards it. */
    void resyncStarted(String branchId) {
        resyncing.add(branchId);
    }

    /** A sale change of the branch is applied. */
    void saleApplied(String branchId) {
        salesPerBranch.merge(branchId, 1L, Long::sum);
    }

    /** Adds the sale changes applied in the batch to the running resyncs of their branches. */
    void recordResyncProgress(Connection connection, VerificationRepository verification) throws SQLException {
        for (String branch : resyncing) {
            verification.addResyncApplied(connection, branch, salesPerBranch.getOrDefault(branch, 0L));
        }
    }

    /**
     * The state to store per branch once the batch's messages went through the trackers; says when
     * a gap opened or closed. A gap keeps the time it opened.
     */
    Map<String, SequenceState> states(Instant now) {
        Map<String, SequenceState> states = new TreeMap<>();
        for (Map.Entry<String, SequenceTracker> entry : trackers.entrySet()) {
            SequenceTracker tracker = entry.getValue();
            SequenceState before = stored.get(entry.getKey());
            Instant gapSince =
                    !tracker.hasGap() ? null : before != null && before.gapSince() != null ? before.gapSince() : now;
            if (tracker.hasGap() && (before == null || before.gapSince() == null)) {
                log.info(
                        "Branch {}: changes from {} on have not arrived while later ones have ({} missing); waiting",
                        entry.getKey(),
                        tracker.firstMissing(),
                        tracker.missing());
            } else if (!tracker.hasGap() && before != null && before.gapSince() != null) {
                log.info(
                        "Branch {}: the gap closed; every change up to {} is applied",
                        entry.getKey(),
                        tracker.contiguous());
            }
            states.put(entry.getKey(), new SequenceState(tracker.contiguous(), tracker.ranges(), gapSince, false));
        }
        return states;
    }

    /**
     * Per branch: the highest sequence number applied in the batch and how many sale changes were;
     * a resync start makes its own number the highest so far, as it resets the branch's state.
     */
    static Collection<BranchProgress> progressOf(List<? extends BranchMessage> messages, Instant now) {
        Map<String, BranchProgress> progress = new LinkedHashMap<>();
        for (BranchMessage message : messages) {
            if (message instanceof ResyncMarker marker && marker.phase() == ResyncMarker.Phase.STARTED) {
                BranchProgress before = progress.get(marker.branchId());
                progress.put(
                        marker.branchId(),
                        new BranchProgress(
                                marker.branchId(),
                                marker.seq(),
                                before == null ? 0 : before.appliedChanges(),
                                marker.occurredAt(),
                                now));
                continue;
            }
            progress.merge(
                    message.branchId(),
                    new BranchProgress(
                            message.branchId(),
                            message.seq(),
                            message instanceof SaleChange ? 1 : 0,
                            message.occurredAt(),
                            now),
                    (a, b) -> {
                        BranchProgress newer = b.lastSeq() > a.lastSeq() ? b : a;
                        return new BranchProgress(
                                a.branchId(),
                                newer.lastSeq(),
                                a.appliedChanges() + b.appliedChanges(),
                                newer.lastMessageAt(),
                                now);
                    });
        }
        return progress.values();
    }
}
