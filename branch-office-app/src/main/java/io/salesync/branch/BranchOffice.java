package io.salesync.branch;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.messaging.OutboxRelay;
import io.salesync.branch.messaging.RelayStatus;
import io.salesync.branch.persistence.OutboxRepository;
import io.salesync.branch.persistence.RelayLock;
import io.salesync.branch.persistence.SaleRepository;
import io.salesync.branch.service.BranchServices;
import io.salesync.branch.service.SaleService;
import io.salesync.branch.service.SalesQueries;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.db.Databases;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * One branch office, assembled: its database pool (migrated at start), the sale service and the
 * outbox relay. The desktop window, the headless runner, the importer and the tests all build it
 * the same way.
 */
public final class BranchOffice implements AutoCloseable {

    private final BranchConfig config;
    private final HikariDataSource dataSource;
    private final SaleRepository sales;
    private final OutboxRepository outbox;
    private final OutboxRelay relay;
    private final SaleService saleService;

    private BranchOffice(BranchConfig config, HikariDataSource dataSource, Consumer<RelayStatus> statusListener) {
        this.config = config;
        this.dataSource = dataSource;
        this.sales = new SaleRepository(dataSource, config.branchId());
        this.outbox = new OutboxRepository(dataSource);
        Clock clock = Clock.systemUTC();
        this.relay = new OutboxRelay(config.branchId(), outbox, new RelayLock(dataSource),
                new BrokerConnector(config.broker(), "salesync-branch-" + config.branchId(), false),
                new Topology(config.broker().prefix()), config.relay(), config.database(), clock, statusListener);
        this.saleService = new SaleService(dataSource, config.database(), sales, outbox, new SaleChangeCodec(),
                config.branchId(), config.taxRate(), clock, relay::wake);
    }

    /**
     * Opens the database (applying migrations) and builds the parts; the relay is not started.
     *
     * @throws io.salesync.common.db.StorageException when the database cannot be reached or migrated
     */
    public static BranchOffice open(BranchConfig config, Consumer<RelayStatus> statusListener) {
        HikariDataSource dataSource = Databases.pool(config.database(), "branch-" + config.branchId());
        try {
            Databases.migrate(dataSource, "branch", config.database());
            return new BranchOffice(config, dataSource, statusListener);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** Starts sending the outbox. */
    public BranchOffice startRelay() {
        relay.start();
        return this;
    }

    public BranchConfig config() {
        return config;
    }

    public SaleService saleService() {
        return saleService;
    }

    /** The services the clerk's window uses. */
    public BranchServices services() {
        return new BranchServices(config.branchId(), config.taxRate(), saleService, new SalesQueries(sales, config.database()));
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
        relay.close();
        dataSource.close();
    }
}
