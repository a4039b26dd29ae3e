package io.salesync.branch.service;

import io.salesync.branch.persistence.OutboxRepository;
import io.salesync.branch.persistence.OutboxRepository.OutboxMessage;
import io.salesync.branch.persistence.SaleRepository;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.db.SaleChecksum;
import io.salesync.common.db.StorageException;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.BranchMessage;
import io.salesync.common.event.ResyncMarker;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the head office check this branch and repair itself from it, through the outbox like any
 * change:
 * <ul>
 *   <li>a <b>checkpoint</b> states the branch's figures ({@link SaleChecksum}) as of its own
 *       sequence number. It is written under the sequence row lock that every sale write takes,
 *       so no change can slip between the figures and the number;</li>
 *   <li>a <b>resync</b> resends every sale at its current version, a page per transaction, between
 *       a started and a finished marker, then takes a checkpoint. Clerks keep saving meanwhile:
 *       their changes take sequence numbers between the pages.</li>
 * </ul>
 */
public final class VerificationService {

    private static final Logger log = LoggerFactory.getLogger(VerificationService.class);

    /** Sales resent per transaction: short enough that a clerk's save waits at most a moment. */
    static final int RESYNC_PAGE = 500;

    /** Told how far a resync is: sales sent so far of the total. */
    @FunctionalInterface
    public interface ResyncProgress {
        void sent(long sent, long total);
    }

    private final Transactions transactions;
    private final SaleRepository sales;
    private final OutboxRepository outbox;
    private final SaleChangeCodec codec;
    private final String branchId;
    private final Clock clock;
    private final Runnable afterCommit;

    public VerificationService(
            DataSource dataSource,
            DatabaseSettings databaseSettings,
            SaleRepository sales,
            OutboxRepository outbox,
            SaleChangeCodec codec,
            String branchId,
            Clock clock,
            Runnable afterCommit) {
        this.transactions = new Transactions(dataSource, databaseSettings);
        this.sales = sales;
        this.outbox = outbox;
        this.codec = codec;
        this.branchId = branchId;
        this.clock = clock;
        this.afterCommit = afterCommit;
    }

    /**
     * Writes a checkpoint to the outbox.
     *
     * @param trigger why: one of {@link BranchCheckpoint#TRIGGERS}
     * @throws StorageException when the database cannot be reached
     */
    public BranchCheckpoint checkpoint(String trigger) {
        BranchCheckpoint written = transactions.get(
                "write a checkpoint for branch " + branchId, "", connection -> appendCheckpoint(connection, trigger));
        afterCommit.run();
        log.info(
                "Branch {} checkpoint {} ({}): {} sales, {} live, checksum {}",
                branchId,
                written.seq(),
                trigger,
                written.figures().rows(),
                written.figures().liveRows(),
                written.figures().checksum());
        return written;
    }

    /**
     * Resends every sale, then writes a checkpoint. Returns when all of it is in the outbox; the
     * relay sends it as fast as the broker confirms.
     *
     * @param resyncId the head office's request id, carried by both markers
     * @throws StorageException when the database cannot be reached; a later resync starts over
     */
    public void resync(UUID resyncId, ResyncProgress progress) {
        long total = transactions.get("start a resync for branch " + branchId, "", connection -> {
            long seq = outbox.reserveSequence(connection, 1);
            long rows = sales.figures(connection).rows();
            append(
                    connection,
                    seq,
                    new ResyncMarker(branchId, seq, clock.instant(), resyncId, ResyncMarker.Phase.STARTED, rows),
                    null);
            return rows;
        });
        afterCommit.run();
        log.info("Branch {} resync {} started: resending {} sales", branchId, resyncId, total);
        String lastId = null;
        long sent = 0;
        while (true) {
            String after = lastId;
            List<Sale> page = new ArrayList<>();
            inTransaction("resend sales", connection -> {
                // The sequence lock first, as every writer takes it: the page is read as it is at this number.
                long first = outbox.reserveSequence(connection, 0);
                page.addAll(sales.pageAfter(connection, after, RESYNC_PAGE));
                outbox.reserveSequence(connection, page.size());
                Instant now = clock.instant();
                List<OutboxMessage> messages = new ArrayList<>(page.size());
                for (int i = 0; i < page.size(); i++) {
                    Sale sale = page.get(i);
                    SaleChange change = SaleChange.of(first + i, now, sale);
                    messages.add(new OutboxMessage(
                            change.seq(), sale.id().toString(), SaleChange.MESSAGE_TYPE, codec.encode(change), now));
                }
                outbox.append(connection, messages);
            });
            if (page.isEmpty()) {
                break;
            }
            afterCommit.run();
            sent += page.size();
            lastId = page.get(page.size() - 1).id().toString();
            progress.sent(sent, Math.max(total, sent));
        }
        long resent = sent;
        inTransaction("finish a resync", connection -> {
            long seq = outbox.reserveSequence(connection, 1);
            append(
                    connection,
                    seq,
                    new ResyncMarker(branchId, seq, clock.instant(), resyncId, ResyncMarker.Phase.FINISHED, resent),
                    null);
            appendCheckpoint(connection, BranchCheckpoint.RESYNC);
        });
        afterCommit.run();
        log.info("Branch {} resync {} finished: {} sales resent", branchId, resyncId, resent);
    }

    private BranchCheckpoint appendCheckpoint(Connection connection, String trigger) throws SQLException {
        long seq = outbox.reserveSequence(connection, 1);
        BranchCheckpoint checkpoint =
                new BranchCheckpoint(branchId, seq, clock.instant(), sales.figures(connection), trigger);
        append(connection, seq, checkpoint, null);
        return checkpoint;
    }

    private void append(Connection connection, long seq, BranchMessage message, String saleId) throws SQLException {
        outbox.append(
                connection,
                List.of(new OutboxMessage(
                        seq, saleId, message.messageType(), codec.encode(message), message.occurredAt())));
    }

    private void inTransaction(String what, Databases.TransactionWork body) {
        transactions.run(what + " for branch " + branchId, "", body);
    }
}
