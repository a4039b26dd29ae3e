package io.salesync.branch.service;

import io.salesync.common.EventThreadGuard;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StorageException;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one transaction on the branch database: committed when the work returns, rolled
 * back when it throws. A database that fails becomes a {@link StorageException} saying what could
 * not be done and why, in words a clerk or an operator can act on.
 */
final class Transactions {

    private final DataSource dataSource;
    private final DatabaseSettings settings;

    Transactions(DataSource dataSource, DatabaseSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /**
     * @param what        what is being done, for the message ("save 2 sale(s)")
     * @param consequence added to the message when it fails (" The change was not saved."), or empty
     */
    void run(String what, String consequence, Databases.TransactionWork work) {
        get(what, consequence, connection -> {
            work.run(connection);
            return null;
        });
    }

    /** As {@link #run}, returning what the work produced once the transaction is committed. */
    <T> T get(String what, String consequence, Databases.TransactionFunction<T> work) {
        EventThreadGuard.requireOffEventThread(what);
        try {
            return Databases.fromTransaction(dataSource, work);
        } catch (SQLException e) {
            throw new StorageException(
                    "Could not " + what + ": " + Databases.unreachableMessage(settings, e) + consequence, e);
        }
    }
}
