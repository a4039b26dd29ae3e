package io.salesync.headoffice.it;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.testing.Sandbox;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.persistence.VerificationRepository;
import io.salesync.headoffice.service.ChangeApplier;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * The sandbox's head-office schema, migrated, with a {@link ChangeApplier} on it as the consumer
 * runs one: its transactions on a transaction pool (small batches go to the server in one round
 * trip), its reads on the sandbox's pool. Closing it closes the transaction pool, not the sandbox.
 */
final class MigratedApplier implements AutoCloseable {

    private final DataSource dataSource;
    private final HikariDataSource transactions;
    private final ChangeApplier applier;

    MigratedApplier(Sandbox sandbox) {
        HikariDataSource pool = sandbox.dataSource("ho");
        DatabaseSettings settings = new DatabaseSettings(
                sandbox.mysql().url(sandbox.schema("ho")),
                sandbox.mysql().user(),
                sandbox.mysql().password(),
                2);
        Databases.migrate(pool, "head-office", settings);
        this.dataSource = pool;
        this.transactions = Databases.transactionPool(settings, "ho-appliers", 1);
        this.applier = new ChangeApplier(
                transactions, new AggregateRepository(pool), new VerificationRepository(pool), Clock.systemUTC());
    }

    DataSource dataSource() {
        return dataSource;
    }

    ChangeApplier applier() {
        return applier;
    }

    @Override
    public void close() {
        transactions.close();
    }
}
