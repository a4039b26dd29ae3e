package io.salesync.headoffice.service;

import io.salesync.common.amqp.Topology;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StatementGroup;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.BranchMessage;
import io.salesync.common.event.ResyncMarker;
import io.salesync.common.event.SaleChange;
import io.salesync.headoffice.model.DeadLetter;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.persistence.BranchRegistry;
import io.salesync.headoffice.persistence.BranchRequestRepository;
import io.salesync.headoffice.persistence.DeadLetterRepository;
import io.salesync.headoffice.persistence.VerificationRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    private final DeadLetterRepository deadLetterLog;
    private final SaleWriter sales;
    private final VerificationApplier verifications;
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
        this.deadLetterLog = deadLetterLog;
        this.sales = new SaleWriter(repository);
        this.verifications = new VerificationApplier(verification, requests);
        this.clock = clock;
        this.firstContact = new FirstContact(new BranchRegistry(repository.dataSource()));
    }

    /**
     * Applies the messages and records the dead letters, in one transaction.
     *
     * @param lane    the applier lane it runs for, whose lines of the all-branch summary it adds to
     * @param records builds the dead-letter record of a message this refuses
     * @return the messages refused, in batch order; their dead-letter records are written
     * @throws SQLException when the transaction could not be committed; nothing was applied
     */
    public List<Refusal> apply(
            int lane, List<? extends BranchMessage> messages, List<DeadLetter> deadLetters, DeadLetterRecords records)
            throws SQLException {
        Instant now = clock.instant();
        List<String> unseen = firstContact.unseen(
                messages.stream().map(BranchMessage::branchId).distinct().toList());
        List<String> closed = new ArrayList<>();
        List<Refusal> result = Databases.fromTransaction(transactions, connection -> {
            closed.clear();
            closed.addAll(firstContact.register(connection, unseen, now));
            List<Refusal> refusals = applyInTransaction(connection, lane, messages, now);
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
                0,
                messages,
                deadLetters,
                (message, reason, at) -> new DeadLetter(
                        at, Topology.routingKey(message.branchId()), message.messageId(), message.branchId(), reason));
    }

    private List<Refusal> applyInTransaction(
            Connection connection, int lane, List<? extends BranchMessage> messages, Instant now) throws SQLException {
        if (messages.isEmpty()) {
            return List.of();
        }
        BranchSequences sequences = BranchSequences.lock(connection, verification, repository, messages, now);
        List<BranchMessage> applied = new ArrayList<>(messages.size());
        List<Refusal> refusals = new ArrayList<>();
        List<SaleChange> segment = new ArrayList<>();
        for (BranchMessage message : messages) {
            SequenceTracker tracker = sequences.of(message.branchId());
            if (message instanceof ResyncMarker marker && marker.phase() == ResyncMarker.Phase.STARTED) {
                sales.write(connection, lane, segment, now, new StatementGroup());
                segment.clear();
                String refused = verifications.startResync(connection, marker, tracker, now);
                if (refused != null) {
                    refusals.add(new Refusal(message, refused));
                } else if (tracker.contiguous() == marker.seq()) {
                    sequences.resyncStarted(marker.branchId());
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
                sequences.saleApplied(change.branchId());
                continue;
            }
            sales.write(connection, lane, segment, now, new StatementGroup());
            segment.clear();
            if (message instanceof BranchCheckpoint checkpoint) {
                verifications.compare(connection, checkpoint, missing, laterApplied, now);
            } else if (message instanceof ResyncMarker marker) {
                verifications.finishResync(connection, lane, marker, now);
            }
        }
        sales.write(
                connection,
                lane,
                segment,
                now,
                repository.recordProgress(
                        new StatementGroup(), BranchSequences.progressOf(applied, now), sequences.states(now)));
        sequences.recordResyncProgress(connection, verification);
        return refusals;
    }
}
