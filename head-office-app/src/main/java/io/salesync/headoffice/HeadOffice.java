package io.salesync.headoffice;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.db.Databases;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.service.ConsumerStatus;
import io.salesync.headoffice.messaging.AmqpBranchRequests;
import io.salesync.headoffice.messaging.AmqpDeadLetterRepublisher;
import io.salesync.headoffice.messaging.SalesConsumer;
import io.salesync.headoffice.persistence.DeadLetterRepository;
import io.salesync.headoffice.persistence.HealthQueries;
import io.salesync.headoffice.persistence.VerificationRepository;
import io.salesync.headoffice.service.BranchRequests;
import io.salesync.headoffice.service.BranchHealthService;
import io.salesync.headoffice.service.DeadLetterService;
import io.salesync.headoffice.service.HeadOfficeServices;
import io.salesync.headoffice.service.SalesBrowser;
import io.salesync.headoffice.service.SalesExporter;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.service.ChangeApplier;
import io.salesync.headoffice.service.IncomingChange;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The head office, assembled: the aggregate database pool (migrated at start), the repository and
 * the sales consumer. The window, the headless runner, the status command and the tests build it
 * the same way.
 */
public final class HeadOffice implements AutoCloseable {

    private final HeadOfficeConfig config;
    private final HikariDataSource dataSource;
    private final HikariDataSource appliers;
    private final AggregateRepository repository;
    private final SalesConsumer consumer;
    private final AmqpDeadLetterRepublisher republisher;
    private final VerificationRepository verification;
    private final AmqpBranchRequests requests;

    private HeadOffice(HeadOfficeConfig config, HikariDataSource dataSource, HikariDataSource appliers,
                       Consumer<ConsumerStatus> statusListener) {
        this.config = config;
        this.dataSource = dataSource;
        this.appliers = appliers;
        this.repository = new AggregateRepository(dataSource);
        this.verification = new VerificationRepository(dataSource);
        Clock clock = Clock.systemUTC();
        this.consumer = new SalesConsumer(new BrokerConnector(config.broker(), "salesync-head-office"),
                new Topology(config.broker().prefix()), new ChangeApplier(appliers, repository, verification, clock),
                new IncomingChange(new SaleChangeCodec(), config.broker().user()), config.database(), config.prefetch(), config.batchSize(),
                config.linger(), config.appliers(), clock, statusListener);
        this.republisher = new AmqpDeadLetterRepublisher(new BrokerConnector(config.broker(), "salesync-head-office-retry", false),
                new Topology(config.broker().prefix()));
        this.requests = new AmqpBranchRequests(new BrokerConnector(config.broker(), "salesync-head-office-requests", false),
                new Topology(config.broker().prefix()), new SaleChangeCodec());
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

    public HeadOffice startConsumer() {
        consumer.start();
        return this;
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

    /** Sends checkpoint and resync requests to branches. */
    public BranchRequests requests() {
        return requests;
    }

    /** The services the window uses, on this head office's pool. */
    public HeadOfficeServices services() {
        Clock clock = Clock.systemUTC();
        SalesBrowser browser = new SalesBrowser(dataSource, config.database());
        return new HeadOfficeServices(browser,
                new BranchHealthService(repository, new HealthQueries(dataSource), verification, config.database(),
                        config.gapReportAfter(), clock),
                new DeadLetterService(new DeadLetterRepository(dataSource), republisher, config.database(), clock),
                new SalesExporter(browser), requests);
    }

    @Override
    public void close() {
        consumer.close();
        republisher.close();
        requests.close();
        appliers.close();
        dataSource.close();
    }
}
