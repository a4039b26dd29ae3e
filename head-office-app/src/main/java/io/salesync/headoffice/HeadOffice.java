package io.salesync.headoffice;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.db.Databases;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.messaging.ConsumerStatus;
import io.salesync.headoffice.messaging.SalesConsumer;
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
    private final AggregateRepository repository;
    private final SalesConsumer consumer;

    private HeadOffice(HeadOfficeConfig config, HikariDataSource dataSource, Consumer<ConsumerStatus> statusListener) {
        this.config = config;
        this.dataSource = dataSource;
        this.repository = new AggregateRepository(dataSource);
        Clock clock = Clock.systemUTC();
        this.consumer = new SalesConsumer(new BrokerConnector(config.broker(), "salesync-head-office"),
                new Topology(config.broker().prefix()), new ChangeApplier(repository, clock),
                new IncomingChange(new SaleChangeCodec()), config.database(), config.prefetch(), config.batchSize(),
                config.linger(), clock, statusListener);
    }

    /**
     * Opens the aggregate database (applying migrations); the consumer is not started.
     *
     * @throws io.salesync.common.db.StorageException when the database cannot be reached or migrated
     */
    public static HeadOffice open(HeadOfficeConfig config, Consumer<ConsumerStatus> statusListener) {
        HikariDataSource dataSource = Databases.pool(config.database(), "head-office");
        try {
            Databases.migrate(dataSource, "head-office", config.database());
            return new HeadOffice(config, dataSource, statusListener);
        } catch (RuntimeException e) {
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

    @Override
    public void close() {
        consumer.close();
        dataSource.close();
    }
}
