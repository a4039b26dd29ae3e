package io.salesync.branch.service;

import io.salesync.branch.persistence.OutboxRepository;
import io.salesync.branch.persistence.OutboxRepository.OutboxMessage;
import io.salesync.branch.persistence.SaleRepository;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StatementGroup;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleIds;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.SaleValidator;
import io.salesync.common.sale.TaxRate;
import io.salesync.common.sale.ValidationException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clerk's use cases: create, correct and delete sales. Each change and its outbox row are
 * written in one local transaction, with no broker call inside it; after the commit the relay is
 * woken so the change leaves at once.
 *
 * <p>Thread-safe; every method does database I/O and must not run on the Swing event thread.
 */
public final class SaleService {

    private static final Logger log = LoggerFactory.getLogger(SaleService.class);
    private static final String NOT_SAVED = " The change was not saved.";

    private final Transactions transactions;
    private final SaleRepository sales;
    private final OutboxRepository outbox;
    private final SaleChangeCodec codec;
    private final String branchId;
    private final TaxRate taxRate;
    private final Clock clock;
    private final SaleIds ids;
    private final Consumer<List<OutboxMessage>> afterCommit;

    public SaleService(
            DataSource dataSource,
            DatabaseSettings databaseSettings,
            SaleRepository sales,
            OutboxRepository outbox,
            SaleChangeCodec codec,
            String branchId,
            TaxRate taxRate,
            Clock clock,
            Consumer<List<OutboxMessage>> afterCommit) {
        this.transactions = new Transactions(dataSource, databaseSettings);
        this.sales = sales;
        this.outbox = outbox;
        this.codec = codec;
        this.branchId = branchId;
        this.taxRate = taxRate;
        this.clock = clock;
        this.ids = new SaleIds(clock);
        this.afterCommit = afterCommit;
    }

    public TaxRate taxRate() {
        return taxRate;
    }

    /** Saves a new sale. */
    public Sale create(SaleInput input) throws ValidationException {
        return createAll(List.of(input)).get(0);
    }

    /**
     * Saves several new sales in one transaction (the import path). All inputs are validated first;
     * nothing is saved if one is invalid.
     */
    public List<Sale> createAll(List<SaleInput> inputs) throws ValidationException {
        return createAll(inputs, Collections.nCopies(inputs.size(), null));
    }

    /**
     * Saves several new sales in one transaction, each with the tax it was charged: {@code taxes}
     * holds, for each input, its own tax (an imported sale charged at another rate) or null for the
     * branch's rate. All inputs are validated first; nothing is saved if one is invalid.
     */
    public List<Sale> createAll(List<SaleInput> inputs, List<BigDecimal> taxes) throws ValidationException {
        if (taxes.size() != inputs.size()) {
            throw new IllegalArgumentException(inputs.size() + " sales but " + taxes.size() + " taxes");
        }
        for (SaleInput input : inputs) {
            SaleValidator.require(input);
        }
        List<Sale> created = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            BigDecimal tax = taxes.get(i);
            Sale sale = tax == null
                    ? Sale.create(ids.next(), branchId, inputs.get(i), taxRate)
                    : Sale.createWithTax(ids.next(), branchId, inputs.get(i), tax);
            List<String> problems = SaleValidator.problemsOf(sale);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(
                        "a sale with its own tax does not add up: " + String.join("; ", problems));
            }
            created.add(sale);
        }
        Instant now = clock.instant();
        List<OutboxMessage> messages = new ArrayList<>(created.size());
        inTransaction("save " + created.size() + " sale(s)", connection -> {
            long first = outbox.reserveSequence(connection, created.size());
            List<Long> seqs = new ArrayList<>(created.size());
            for (int i = 0; i < created.size(); i++) {
                long seq = first + i;
                seqs.add(seq);
                messages.add(message(seq, now, created.get(i)));
            }
            outbox.append(sales.insertAll(new StatementGroup(), created, seqs, now), messages)
                    .execute(connection);
            log.debug(
                    "Branch {} saved {} sale(s) as changes {}..{}",
                    branchId,
                    created.size(),
                    first,
                    first + created.size() - 1);
        });
        afterCommit.accept(messages);
        return created;
    }

    /**
     * Corrects a sale.
     *
     * @param expectedVersion the version the clerk was looking at
     */
    public Sale update(UUID id, long expectedVersion, SaleInput input)
            throws ValidationException, SaleNotFoundException, StaleSaleException {
        SaleValidator.require(input);
        return change(id, expectedVersion, current -> current.revise(input, taxRate));
    }

    /** Deletes a sale: a new version marked deleted, sent like any other change. */
    public Sale delete(UUID id, long expectedVersion) throws SaleNotFoundException, StaleSaleException {
        return change(id, expectedVersion, Sale::markDeleted);
    }

    /** What a change found: the new version and its outbox row, or why the clerk's change is refused. */
    private record Outcome(Sale sale, OutboxMessage sent, SaleNotFoundException notFound, StaleSaleException stale) {}

    private Sale change(UUID id, long expectedVersion, UnaryOperator<Sale> revision)
            throws SaleNotFoundException, StaleSaleException {
        Instant now = clock.instant();
        Outcome outcome = transactions.get("change sale " + id, NOT_SAVED, connection -> {
            Sale current =
                    sales.find(connection, id, true).filter(s -> !s.deleted()).orElse(null);
            if (current == null) {
                return new Outcome(null, null, new SaleNotFoundException(id), null);
            }
            if (current.version() != expectedVersion) {
                return new Outcome(null, null, null, new StaleSaleException(id, expectedVersion, current.version()));
            }
            Sale next = revision.apply(current);
            long seq = outbox.reserveSequence(connection, 1);
            OutboxMessage sent = message(seq, now, next);
            int[] updated = outbox.append(sales.update(new StatementGroup(), next, seq, now), List.of(sent))
                    .execute(connection);
            if (updated[0] != 1) {
                throw new SQLException("sale " + id + " changed under a row lock");
            }
            log.debug("Branch {} changed sale {} to version {} as change {}", branchId, id, next.version(), seq);
            return new Outcome(next, sent, null, null);
        });
        if (outcome.notFound() != null) {
            throw outcome.notFound();
        }
        if (outcome.stale() != null) {
            throw outcome.stale();
        }
        afterCommit.accept(List.of(outcome.sent()));
        return outcome.sale();
    }

    private OutboxMessage message(long seq, Instant at, Sale sale) {
        SaleChange change = SaleChange.of(seq, at, sale);
        return new OutboxMessage(seq, sale.id().toString(), SaleChange.MESSAGE_TYPE, codec.encode(change), at);
    }

    /** Runs the body in one transaction; a refusal recorded by the body commits nothing either. */
    private void inTransaction(String what, Databases.TransactionWork body) {
        transactions.run(what, NOT_SAVED, body);
    }
}
