package io.salesync.headoffice.service;

import io.salesync.common.amqp.Topology;
import io.salesync.common.db.Databases;
import io.salesync.common.db.SaleChecksum;
import io.salesync.common.db.StatementGroup;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.BranchMessage;
import io.salesync.common.event.ResyncMarker;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.headoffice.model.BranchProgress;
import io.salesync.headoffice.model.DailyDelta;
import io.salesync.headoffice.model.DeadLetter;
import io.salesync.headoffice.model.SaleKey;
import io.salesync.headoffice.model.StoredSale;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.persistence.BranchRegistry;
import io.salesync.headoffice.persistence.BranchRequestRepository;
import io.salesync.headoffice.persistence.DeadLetterRepository;
import io.salesync.headoffice.persistence.VerificationRepository;
import io.salesync.headoffice.persistence.VerificationRepository.SequenceState;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch of branch messages in one MySQL transaction, in the order they arrived: the sales
 * (only versions newer than what is stored), the daily summary the window reads its totals from,
 * each branch's progress and sequence numbers (to see gaps), checkpoint verdicts, resyncs, and the
 * log of dead-lettered messages. The caller acknowledges the messages only after this returns.
 *
 * <p>A checkpoint is compared where it stands in the batch: the sales before it are applied first,
 * in the same transaction, so the head office's figures are taken as of the same sequence number as
 * the branch's.
 *
 * <p>A message whose sequence number was applied before is skipped. One the head office will not
 * apply (a number too far ahead of what it holds, too many gaps, a resync it did not ask for) is
 * {@link Refusal refused}: its dead-letter record is written in the same transaction and the caller
 * dead-letters it; the rest of the batch is applied. A resync the head office asked for sets the
 * branch's state afresh from its start (see {@link VerificationRepository#startResync}).
 */
public final class ChangeApplier {

    private static final Logger log = LoggerFactory.getLogger(ChangeApplier.class);

    /** A message the head office does not apply, and why. */
    public record Refusal(BranchMessage message, String reason) {}

    /** The dead-letter record of a refused message, built by whoever holds its delivery. */
    @FunctionalInterface
    public interface DeadLetterRecords {
        DeadLetter of(BranchMessage message, String reason, Instant at);
    }

    private final DataSource transactions;
    private final AggregateRepository repository;
    private final VerificationRepository verification;
    private final BranchRequestRepository requests;
    private final DeadLetterRepository deadLetterLog;
    private final Clock clock;
    private final FirstContact firstContact;

    /** Applies in transactions on {@code transactions}; the requests are read from the repository's schema. */
    public ChangeApplier(
            DataSource transactions, AggregateRepository repository, VerificationRepository verification, Clock clock) {
        this(
                transactions,
                repository,
                verification,
                new BranchRequestRepository(repository.dataSource()),
                new DeadLetterRepository(repository.dataSource()),
                clock);
    }

    /**
     * @param transactions where the transactions run: a {@link Databases#transactionPool} with a
     *                     connection for each applier
     */
    public ChangeApplier(
            DataSource transactions,
            AggregateRepository repository,
            VerificationRepository verification,
            BranchRequestRepository requests,
            DeadLetterRepository deadLetterLog,
            Clock clock) {
        this.transactions = transactions;
        this.repository = repository;
        this.verification = verification;
        this.requests = requests;
        this.deadLetterLog = deadLetterLog;
        this.clock = clock;
        this.firstContact = new FirstContact(new BranchRegistry(repository.dataSource()));
    }

    /**
     * Applies the messages and records the dead letters, in one transaction.
     *
     * @param records builds the dead-letter record of a message this refuses
     * @return the messages refused, in batch order; their dead-letter records are written
     * @throws SQLException when the transaction could not be committed; nothing was applied
     */
    public List<Refusal> apply(
            List<? extends BranchMessage> messages, List<DeadLetter> deadLetters, DeadLetterRecords records)
            throws SQLException {
        Instant now = clock.instant();
        List<String> unseen = firstContact.unseen(
                messages.stream().map(BranchMessage::branchId).distinct().toList());
        List<String> closed = new ArrayList<>();
        List<Refusal> result = Databases.fromTransaction(transactions, connection -> {
            closed.clear();
            closed.addAll(firstContact.register(connection, unseen, now));
            List<Refusal> refusals = applyInTransaction(connection, messages, now);
            List<DeadLetter> all = new ArrayList<>(deadLetters);
            for (Refusal refusal : refusals) {
                all.add(records.of(refusal.message(), refusal.reason(), now));
            }
            deadLetterLog.record(connection, all);
            return refusals;
        });
        firstContact.committed(unseen, closed);
        return result;
    }

    /** Applies the messages and records the dead letters; refuses nothing it could apply (tests, tools). */
    public List<Refusal> apply(List<? extends BranchMessage> messages, List<DeadLetter> deadLetters)
            throws SQLException {
        return apply(
                messages,
                deadLetters,
                (message, reason, at) -> new DeadLetter(
                        at, Topology.routingKey(message.branchId()), message.messageId(), message.branchId(), reason));
    }

    private List<Refusal> applyInTransaction(Connection connection, List<? extends BranchMessage> messages, Instant now)
            throws SQLException {
        if (messages.isEmpty()) {
            return List.of();
        }
        List<String> branches =
                messages.stream().map(BranchMessage::branchId).distinct().toList();
        Map<String, SequenceState> stored = verification.lockSequenceState(connection, branches);
        List<String> firstHeard =
                branches.stream().filter(id -> !stored.containsKey(id)).toList();
        if (!firstHeard.isEmpty()) {
            repository.createProgress(connection, firstHeard, now);
        }
        Map<String, SequenceTracker> trackers = new TreeMap<>();
        for (String branch : branches) {
            SequenceState state = stored.get(branch);
            trackers.put(
                    branch,
                    state == null
                            ? new SequenceTracker(0, null)
                            : new SequenceTracker(state.contiguousSeq(), state.receivedRanges()));
        }
        Set<String> resyncing = new TreeSet<>();
        stored.forEach((id, state) -> {
            if (state.resyncRunning()) {
                resyncing.add(id);
            }
        });
        Map<String, Long> salesPerBranch = new TreeMap<>();
        List<BranchMessage> applied = new ArrayList<>(messages.size());
        List<Refusal> refusals = new ArrayList<>();
        List<SaleChange> segment = new ArrayList<>();
        for (BranchMessage message : messages) {
            SequenceTracker tracker = trackers.get(message.branchId());
            if (message instanceof ResyncMarker marker && marker.phase() == ResyncMarker.Phase.STARTED) {
                applySales(connection, segment, now, new StatementGroup());
                segment.clear();
                String refused = startResync(connection, marker, tracker, now);
                if (refused != null) {
                    refusals.add(new Refusal(message, refused));
                } else if (tracker.contiguous() == marker.seq()) {
                    resyncing.add(marker.branchId());
                    applied.add(message);
                }
                continue;
            }
            String refused = tracker.refusal(message.seq());
            if (refused != null) {
                log.warn("Branch {} message {} refused: {}", message.branchId(), message.seq(), refused);
                refusals.add(new Refusal(message, refused));
                continue;
            }
            boolean laterApplied = tracker.highestApplied() > message.seq();
            long missing = tracker.missingBefore(message.seq());
            if (!tracker.accept(message.seq())) {
                log.debug("Branch {} message {} already applied; skipped", message.branchId(), message.seq());
                continue;
            }
            applied.add(message);
            if (message instanceof SaleChange change) {
                segment.add(change);
                salesPerBranch.merge(change.branchId(), 1L, Long::sum);
                continue;
            }
            applySales(connection, segment, now, new StatementGroup());
            segment.clear();
            if (message instanceof BranchCheckpoint checkpoint) {
                compare(connection, checkpoint, missing, laterApplied, now);
            } else if (message instanceof ResyncMarker marker) {
                finishResync(connection, marker, now);
            }
        }
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
        applySales(
                connection,
                segment,
                now,
                repository.recordProgress(new StatementGroup(), progressOf(applied, now), states));
        for (String branch : resyncing) {
            verification.addResyncApplied(connection, branch, salesPerBranch.getOrDefault(branch, 0L));
        }
        return refusals;
    }

    /**
     * Writes the changes, then the statements of {@code after}, all in one round trip where they fit.
     *
     * <p>New sales (version 1) are inserted without being read under lock, since the head office
     * almost never holds them yet: a catch-up is mostly new sales, and a locking read of a row that
     * does not exist costs MySQL nearly as much as one of a row that does. A redelivered or resent
     * sale fails that insert, nothing after it runs, and the changes are then applied the careful
     * way: every stored row read under lock, then the version-guarded upsert.
     */
    private void applySales(Connection connection, List<SaleChange> changes, Instant now, StatementGroup after)
            throws SQLException {
        if (changes.isEmpty()) {
            after.execute(connection);
            return;
        }
        Collection<SaleChange> newest = newestPerSale(changes);
        List<SaleChange> created = new ArrayList<>();
        List<SaleChange> revised = new ArrayList<>(newest.size());
        for (SaleChange change : newest) {
            (change.sale().version() == 1 ? created : revised).add(change);
        }
        if (!created.isEmpty()) {
            Map<SaleKey, StoredSale> stored = repository.lockStored(connection, revised);
            StatementGroup group = repository.insertNew(new StatementGroup(), created, now);
            repository.upsert(group, revised, now);
            repository.addToDaily(group, dailyDeltas(newest, stored)).addAll(after);
            // A failure in a later statement of the insert would leave the earlier ones done.
            Savepoint beforeInsert =
                    AggregateRepository.insertTakesSeveralStatements(created.size()) ? connection.setSavepoint() : null;
            try {
                group.execute(connection);
                return;
            } catch (SQLException e) {
                if (!AggregateRepository.isDuplicateKey(e)) {
                    throw e;
                }
                if (beforeInsert != null) {
                    connection.rollback(beforeInsert);
                }
            }
        }
        Map<SaleKey, StoredSale> stored = repository.lockStored(connection, newest);
        StatementGroup group = repository.upsert(new StatementGroup(), newest, now);
        repository.addToDaily(group, dailyDeltas(newest, stored)).addAll(after).execute(connection);
    }

    /** Compares a checkpoint with the head office's figures for its branch and records the verdict. */
    private void compare(
            Connection connection, BranchCheckpoint checkpoint, long missing, boolean laterApplied, Instant now)
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
    private String startResync(Connection connection, ResyncMarker marker, SequenceTracker tracker, Instant now)
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
    private void finishResync(Connection connection, ResyncMarker marker, Instant now) throws SQLException {
        long from = verification.runningResyncStart(connection, marker);
        if (from < 0) {
            log.warn(
                    "Branch {} resync {} finished, but its start was not applied here; nothing removed",
                    marker.branchId(),
                    marker.resyncId());
            return;
        }
        VerificationRepository.Removal removed = verification.removeNotResent(connection, marker.branchId(), from);
        repository.addToDaily(connection, removed.deltas());
        verification.finishResync(connection, marker, removed.rows(), now);
        log.info(
                "Branch {} resync {} finished: {} sales resent, {} row(s) the branch no longer has removed",
                marker.branchId(),
                marker.resyncId(),
                marker.rows(),
                removed.rows());
    }

    /**
     * Within a batch only the highest version of each sale matters; the rest would be no-ops. Of
     * equal versions the later one is kept, so that its sequence number is recorded.
     */
    static Collection<SaleChange> newestPerSale(List<SaleChange> changes) {
        Map<SaleKey, SaleChange> newest = new LinkedHashMap<>();
        for (SaleChange change : changes) {
            newest.merge(new SaleKey(change.branchId(), change.sale().id()), change, (kept, candidate) -> {
                long keptVersion = kept.sale().version();
                long candidateVersion = candidate.sale().version();
                return candidateVersion > keptVersion || candidateVersion == keptVersion && candidate.seq() > kept.seq()
                        ? candidate
                        : kept;
            });
        }
        return newest.values();
    }

    /**
     * What the changes do to the daily summary: a change that wins (no stored row, or a higher
     * version) takes the stored live sale out of its (branch, day, region) line and puts the new one
     * in, unless it is a delete. A change that loses does nothing, like its upsert.
     */
    static Collection<DailyDelta> dailyDeltas(Collection<SaleChange> newest, Map<SaleKey, StoredSale> stored) {
        Map<DailyDelta.Line, DailyDelta> deltas = new LinkedHashMap<>();
        for (SaleChange change : newest) {
            Sale sale = change.sale();
            StoredSale old = stored.get(new SaleKey(change.branchId(), sale.id()));
            if (old != null && !old.replacedBy(sale.version())) {
                continue;
            }
            if (old != null && !old.deleted()) {
                add(
                        deltas,
                        new DailyDelta(
                                change.branchId(),
                                old.date(),
                                old.region(),
                                -1,
                                -old.qty(),
                                old.amt().negate(),
                                old.tax().negate(),
                                old.total().negate()));
            }
            if (!sale.deleted()) {
                add(
                        deltas,
                        new DailyDelta(
                                change.branchId(),
                                sale.date(),
                                sale.region(),
                                1,
                                sale.qty(),
                                sale.amt(),
                                sale.tax(),
                                sale.total()));
            }
        }
        return deltas.values();
    }

    private static void add(Map<DailyDelta.Line, DailyDelta> deltas, DailyDelta delta) {
        deltas.merge(delta.line(), delta, DailyDelta::plus);
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
