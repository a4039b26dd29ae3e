package io.salesync.branch;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.messaging.ControlListener;
import io.salesync.branch.messaging.OutboxRelay;
import io.salesync.branch.messaging.RelayStatus;
import io.salesync.branch.persistence.OutboxRepository;
import io.salesync.branch.persistence.RelayLock;
import io.salesync.branch.persistence.SaleRepository;
import io.salesync.branch.service.BranchServices;
import io.salesync.branch.service.SaleService;
import io.salesync.branch.service.SalesQueries;
import io.salesync.branch.service.VerificationService;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StorageException;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.BranchCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One branch office, assembled: its database pools (migrated at start; one for reads, one whose
 * connections stay in a transaction mode for the sale service, the checkpoints and the relay's
 * marks), the sale service, the outbox relay, and what answers the head office: checkpoints (at
 * start, on a schedule and on request) and resyncs, carried out one at a time on one thread
 * ("bo-verify-&lt;branch&gt;"). The desktop window, the headless runner, the importer and the tests
 * all build it the same way.
 */
public final class BranchOffice implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BranchOffice.class);
    private static final Duration STARTUP_CHECKPOINT_DELAY = Duration.ofSeconds(5);
    /** How long a resend request waits for the relay (which serves it while it holds the relay lock). */
    private static final Duration RESEND_WAIT = Duration.ofSeconds(60);
    /** Read at start-up as the application's own user, to find a refused password or a missing right at once. */
    private static final String ACCESS_PROBE = "SELECT 1 FROM sale LIMIT 1";

    private final BranchConfig config;
    private final HikariDataSource dataSource;
    private final HikariDataSource transactions;
    private final SaleRepository sales;
    private final OutboxRepository outbox;
    private final OutboxRelay relay;
    private final SaleService saleService;
    private final VerificationService verification;
    private final ControlListener controlListener;
    private final ScheduledExecutorService verifier;

    private BranchOffice(
            BranchConfig config,
            HikariDataSource dataSource,
            HikariDataSource transactions,
            Consumer<RelayStatus> statusListener) {
        this.config = config;
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.sales = new SaleRepository(dataSource, config.branchId());
        this.outbox = new OutboxRepository(dataSource, transactions);
        Clock clock = Clock.systemUTC();
        this.relay = new OutboxRelay(
                config.branchId(),
                outbox,
                new RelayLock(dataSource),
                new BrokerConnector(config.broker(), "salesync-branch-" + config.branchId(), false),
                new Topology(config.broker().prefix()),
                config.relay(),
                config.database(),
                clock,
                statusListener);
        this.saleService = new SaleService(
                transactions,
                config.database(),
                sales,
                outbox,
                new SaleChangeCodec(),
                config.branchId(),
                config.taxRate(),
                clock,
                relay::committed);
        this.verification = new VerificationService(
                transactions,
                config.database(),
                sales,
                outbox,
                new SaleChangeCodec(),
                config.branchId(),
                clock,
                relay::wake);
        this.controlListener = new ControlListener(
                config.branchId(),
                new BrokerConnector(config.broker(), "salesync-branch-" + config.branchId() + "-control", false),
                new Topology(config.broker().prefix()),
                new SaleChangeCodec(),
                this::carryOut);
        this.verifier = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bo-verify-" + config.branchId());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens the database (applying migrations as the migration user, then checking that the
     * application's own user can log in and read) and builds the parts; the relay is not started.
     *
     * @throws io.salesync.common.db.StorageException when the database cannot be reached, migrated
     *         or used; its {@code kind()} says whether waiting helps
     */
    public static BranchOffice open(BranchConfig config, Consumer<RelayStatus> statusListener) {
        HikariDataSource dataSource = Databases.pool(config.database(), "branch-" + config.branchId());
        HikariDataSource transactions = null;
        try {
            Databases.migrate(dataSource, "branch", config.database());
            Databases.checkAccess(dataSource, config.database(), ACCESS_PROBE);
            transactions = Databases.transactionPool(
                    config.database(),
                    "branch-" + config.branchId() + "-tx",
                    config.database().poolSize());
            return new BranchOffice(config, dataSource, transactions, statusListener);
        } catch (RuntimeException e) {
            if (transactions != null) {
                transactions.close();
            }
            dataSource.close();
            throw e;
        }
    }

    /**
     * Starts sending the outbox, listening for the head office's requests and taking checkpoints:
     * one shortly after start, then every {@link BranchConfig#checkpointInterval()} (neither when
     * the interval is zero: then only on request and after a resync).
     */
    public BranchOffice startRelay() {
        relay.start();
        controlListener.start();
        Duration interval = config.checkpointInterval();
        if (!interval.isZero()) {
            verifier.schedule(
                    () -> checkpointQuietly(BranchCheckpoint.STARTUP),
                    STARTUP_CHECKPOINT_DELAY.toMillis(),
                    TimeUnit.MILLISECONDS);
            verifier.scheduleWithFixedDelay(
                    () -> checkpointQuietly(BranchCheckpoint.SCHEDULED),
                    interval.toMillis(),
                    interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Checkpoints and resyncs, for the head office's requests and for tools. */
    public VerificationService verification() {
        return verification;
    }

    /** Carries out a head-office request on the verification thread and waits for it to finish. */
    private void carryOut(BranchCommand command) throws InterruptedException, ExecutionException {
        verifier.submit(() -> {
                    switch (command.action()) {
                        case CHECKPOINT -> verification.checkpoint("requested");
                        case RESYNC -> resync(command);
                        case RESEND -> resend(command);
                    }
                    return null;
                })
                .get();
    }

    /**
     * Sends the changes from the requested number on again, from the outbox; when they are no
     * longer there, resyncs under the request's id, which the head office accepts for it.
     */
    private void resend(BranchCommand command) throws Exception {
        long sentAgain = relay.resendFrom(command.fromSeq()).get(RESEND_WAIT.toSeconds(), TimeUnit.SECONDS);
        if (sentAgain < 0) {
            log.warn(
                    "Branch {}: the head office asked for the changes from {} on again, but they are no longer in the"
                            + " outbox (older than its retention); resyncing instead",
                    config.branchId(),
                    command.fromSeq());
            resync(command);
        }
    }

    private void resync(BranchCommand command) {
        verification.resync(command.requestId(), (sent, total) -> {
            if (sent % 10_000 < 500 || sent == total) {
                log.info(
                        "Branch {} resync {}: {} of {} sales resent",
                        config.branchId(),
                        command.requestId(),
                        sent,
                        total);
            }
        });
    }

    private void checkpointQuietly(String trigger) {
        try {
            verification.checkpoint(trigger);
        } catch (StorageException e) {
            log.warn("Branch {} skipped a {} checkpoint: {}", config.branchId(), trigger, e.getMessage());
        }
    }

    public BranchConfig config() {
        return config;
    }

    public SaleService saleService() {
        return saleService;
    }

    /** The services the clerk's window uses. */
    public BranchServices services() {
        return new BranchServices(
                config.branchId(), config.taxRate(), saleService, new SalesQueries(sales, config.database()));
    }

    public SaleRepository sales() {
        return sales;
    }

    public OutboxRepository outbox() {
        return outbox;
    }

    public OutboxRelay relay() {
        return relay;
    }

    /** Stops the relay, then closes the pool. */
    @Override
    public void close() {
        verifier.shutdownNow();
        controlListener.close();
        relay.close();
        transactions.close();
        dataSource.close();
    }
}
