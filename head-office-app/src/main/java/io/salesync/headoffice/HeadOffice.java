package io.salesync.headoffice;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.db.Databases;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.messaging.AmqpBranchRequests;
import io.salesync.headoffice.messaging.AmqpDeadLetterRepublisher;
import io.salesync.headoffice.messaging.SalesConsumer;
import io.salesync.headoffice.model.WriteAccess;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.persistence.BranchRegistry;
import io.salesync.headoffice.persistence.BranchRequestRepository;
import io.salesync.headoffice.persistence.DeadLetterRepository;
import io.salesync.headoffice.persistence.HealthQueries;
import io.salesync.headoffice.persistence.HeartbeatRepository;
import io.salesync.headoffice.persistence.ProcessRepository;
import io.salesync.headoffice.persistence.VerificationRepository;
import io.salesync.headoffice.service.BranchHealthService;
import io.salesync.headoffice.service.BranchRequests;
import io.salesync.headoffice.service.ChangeApplier;
import io.salesync.headoffice.service.ConsumerStatus;
import io.salesync.headoffice.service.DeadLetterRepublisher;
import io.salesync.headoffice.service.DeadLetterService;
import io.salesync.headoffice.service.HeadOfficeServices;
import io.salesync.headoffice.service.HeartbeatRecorder;
import io.salesync.headoffice.service.IncomingChange;
import io.salesync.headoffice.service.LostChangeRecovery;
import io.salesync.headoffice.service.RecordingBranchRequests;
import io.salesync.headoffice.service.SalesBrowser;
import io.salesync.headoffice.service.SalesExporter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head office, assembled: the aggregate database pool (migrated at start), the repository and
 * the sales consumer. The window, the headless runner, the status command and the tests build it
 * the same way.
 */
public final class HeadOffice implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeadOffice.class);
    static final long GAP_CHECK_SECONDS = 10;
    static final long PROCESS_BEAT_SECONDS = 5;

    private final HeadOfficeConfig config;
    private final HikariDataSource dataSource;
    private final HikariDataSource appliers;
    private final AggregateRepository repository;
    private final SalesConsumer consumer;
    private final AmqpDeadLetterRepublisher republisher;
    private final VerificationRepository verification;
    private final AmqpBranchRequests sender;
    private final BranchRequests requests;
    private final LostChangeRecovery recovery;
    private final ProcessRepository processes;
    private final HeartbeatRecorder heartbeats;
    private final Instant startedAt = Instant.now();
    private final ScheduledExecutorService recoveryThread;
    /** Whether the last status seen said this process is the queue's active consumer. */
    private volatile boolean consuming;

    private HeadOffice(
            HeadOfficeConfig config,
            HikariDataSource dataSource,
            HikariDataSource appliers,
            Consumer<ConsumerStatus> statusListener) {
        this.config = config;
        this.dataSource = dataSource;
        this.appliers = appliers;
        this.repository = new AggregateRepository(dataSource);
        this.verification = new VerificationRepository(dataSource);
        Clock clock = Clock.systemUTC();
        BranchRequestRepository requestLog = new BranchRequestRepository(dataSource);
        this.sender = new AmqpBranchRequests(
                new BrokerConnector(config.broker(), "salesync-head-office-requests", false),
                new Topology(config.broker().prefix()),
                new SaleChangeCodec());
        this.requests = new RecordingBranchRequests(requestLog, sender, config.database());
        this.recovery = new LostChangeRecovery(verification, requestLog, requests, config.gapReportAfter(), clock);
        this.processes = new ProcessRepository(dataSource);
        this.heartbeats = new HeartbeatRecorder(new HeartbeatRepository(dataSource), config.database(), clock);
        this.recoveryThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ho-recovery");
            thread.setDaemon(true);
            return thread;
        });
        this.consumer = new SalesConsumer(
                new BrokerConnector(config.broker(), "salesync-head-office"),
                new Topology(config.broker().prefix()),
                new ChangeApplier(
                        appliers, repository, verification, requestLog, new DeadLetterRepository(dataSource), clock),
                new IncomingChange(new SaleChangeCodec(), config.broker().user(), heartbeats::offer),
                config.database(),
                config.prefetch(),
                config.batchSize(),
                config.linger(),
                config.appliers(),
                clock,
                status -> {
                    statusListener.accept(status);
                    beatWhenTurned(status.consuming());
                },
                () -> recoveryThread.execute(() -> recover(true)));
        this.republisher = new AmqpDeadLetterRepublisher(
                new BrokerConnector(config.broker(), "salesync-head-office-retry", false),
                new Topology(config.broker().prefix()));
    }

    /** Read at start-up as the application's own user, to find a refused password or a missing right at once. */
    private static final String ACCESS_PROBE = "SELECT 1 FROM sale LIMIT 1";

    /**
     * Opens the aggregate database (applying migrations as the migration user, then checking that
     * the application's own user can log in and read); the consumer is not started.
     *
     * @throws io.salesync.common.db.StorageException when the database cannot be reached, migrated
     *         or used; its {@code kind()} says whether waiting helps
     */
    public static HeadOffice open(HeadOfficeConfig config, Consumer<ConsumerStatus> statusListener) {
        HikariDataSource dataSource = Databases.pool(config.database(), "head-office");
        HikariDataSource appliers = null;
        try {
            Databases.migrate(dataSource, "head-office", config.database());
            Databases.checkAccess(dataSource, config.database(), ACCESS_PROBE);
            appliers = Databases.transactionPool(config.database(), "head-office-appliers", config.appliers());
            return new HeadOffice(config, dataSource, appliers, statusListener);
        } catch (RuntimeException e) {
            if (appliers != null) {
                appliers.close();
            }
            dataSource.close();
            throw e;
        }
    }

    /**
     * Starts consuming, and asking branches for changes the head office lost: at once when its queue
     * had to be created, and every {@value #GAP_CHECK_SECONDS} s for gaps older than the gap report
     * time.
     */
    public HeadOffice startConsumer() {
        heartbeats.start();
        consumer.start();
        recoveryThread.scheduleWithFixedDelay(
                () -> recover(false), GAP_CHECK_SECONDS, GAP_CHECK_SECONDS, TimeUnit.SECONDS);
        recoveryThread.scheduleWithFixedDelay(this::beat, 1, PROCESS_BEAT_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /** Writes this process's row: alive, and whether it is the queue's active consumer. */
    private void beat() {
        try {
            processes.beat(consumer.process(), startedAt, consumer.status().consuming(), Instant.now());
        } catch (SQLException | RuntimeException e) {
            log.debug("Could not record this head-office process ({})", e.getMessage());
        }
    }

    /**
     * Writes this process's row at once when it becomes (or stops being) the active consumer, so
     * that the windows and {@code status} name the right process without waiting for the next beat.
     */
    private void beatWhenTurned(boolean consumingNow) {
        if (consumingNow != consuming) {
            consuming = consumingNow;
            try {
                recoveryThread.execute(this::beat);
            } catch (RejectedExecutionException closing) {
                // the head office is closing: its row ages out by itself
            }
        }
    }

    /** The head-office processes that consume the queue, as they last said. */
    public ProcessRepository processes() {
        return processes;
    }

    private void recover(boolean queueCreated) {
        try {
            if (queueCreated) {
                recovery.askEveryBranch(
                        "the queue " + new Topology(config.broker().prefix()).salesQueue()
                                + " did not exist: whatever it held before is gone from RabbitMQ");
            } else {
                recovery.askBranchesWithOldGaps();
            }
        } catch (SQLException | RuntimeException e) {
            log.warn(
                    "Could not look for changes to ask the branches for again ({}); trying again in {} s",
                    Databases.unreachableMessage(config.database(), e),
                    GAP_CHECK_SECONDS);
        }
    }

    public HeadOfficeConfig config() {
        return config;
    }

    public AggregateRepository repository() {
        return repository;
    }

    public SalesConsumer consumer() {
        return consumer;
    }

    public VerificationRepository verification() {
        return verification;
    }

    /** The head office's registry of branches. */
    public BranchRegistry registry() {
        return new BranchRegistry(dataSource);
    }

    /** Sends checkpoint and resync requests to branches. */
    public BranchRequests requests() {
        return requests;
    }

    /** The services the window uses, on this head office's pool; its user writes everything. */
    public HeadOfficeServices services() {
        return services(config, dataSource, requests, republisher, WriteAccess.FULL);
    }

    /** The window's services on a pool, whether a consumer runs beside them or not. */
    static HeadOfficeServices services(
            HeadOfficeConfig config,
            DataSource dataSource,
            BranchRequests requests,
            DeadLetterRepublisher republisher,
            WriteAccess access) {
        Clock clock = Clock.systemUTC();
        SalesBrowser browser = new SalesBrowser(dataSource, config.database());
        return new HeadOfficeServices(
                browser,
                new BranchHealthService(
                        new AggregateRepository(dataSource),
                        new HealthQueries(dataSource),
                        new VerificationRepository(dataSource),
                        new ProcessRepository(dataSource),
                        config.database(),
                        config.gapReportAfter(),
                        config.silentAfter(),
                        clock),
                new DeadLetterService(new DeadLetterRepository(dataSource), republisher, config.database(), clock),
                new SalesExporter(browser),
                requests,
                access);
    }

    @Override
    public void close() {
        recoveryThread.shutdownNow();
        consumer.close();
        heartbeats.close();
        republisher.close();
        sender.close();
        appliers.close();
        dataSource.close();
    }
}
