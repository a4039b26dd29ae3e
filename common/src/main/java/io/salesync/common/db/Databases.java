package io.salesync.common.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connection pools and schema migrations for the salesync MySQL schemas. */
public final class Databases {

    private static final Logger log = LoggerFactory.getLogger(Databases.class);

    private Databases() {
    }

    /**
     * A connection pool for one schema. The pool starts even when the server is down (it does not
     * fail fast), so that an application can open and report the outage instead of dying.
     */
    public static HikariDataSource pool(DatabaseSettings settings, String poolName) {
        return pool(settings, poolName, settings.poolSize(), true);
    }

    /**
     * A pool for {@link #inTransaction} only, whose connections stay in a transaction mode
     * (autocommit off) between uses: a transaction on it costs its statements and the commit, not
     * two more round trips to turn autocommit off and on again. Nothing else should borrow from it:
     * a read left uncommitted would hold its snapshot, and MySQL's purge, until the next commit.
     * Its connections send a {@link StatementGroup} in one round trip ({@code allowMultiQueries});
     * the statements they run are the applications' own, never text from input.
     */
    public static HikariDataSource transactionPool(DatabaseSettings settings, String poolName, int size) {
        return pool(settings, poolName, size, false);
    }

    private static HikariDataSource pool(DatabaseSettings settings, String poolName, int size, boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(autoCommit);
        config.addDataSourceProperty("rewriteBatchedStatements", "true");
        config.addDataSourceProperty("cachePrepStmts", "true");
        config.addDataSourceProperty("prepStmtCacheSize", "64");
        // Long enough for the multi-row statements of MultiRowInsert, so that they are parsed once.
        config.addDataSourceProperty("prepStmtCacheSqlLimit", "8192");
        config.addDataSourceProperty("useServerPrepStmts", "false");
        config.addDataSourceProperty("connectTimeout", "5000");
        config.addDataSourceProperty("socketTimeout", "60000");
        config.addDataSourceProperty("characterEncoding", "UTF-8");
        config.addDataSourceProperty("connectionTimeZone", "UTC");
        config.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
        config.addDataSourceProperty("allowPublicKeyRetrieval", "true");
        if (!autoCommit) {
            config.addDataSourceProperty("allowMultiQueries", "true");
        }
        return new HikariDataSource(config);
    }

    /**
     * Applies the versioned migrations found under {@code classpath:db/migration/<kind>} (copied from
     * {@code sql/<kind>} at build time), as the migration user when the settings name one: the
     * application's own user then needs no right to alter the schema.
     *
     * @throws StorageException when the database cannot be reached or a migration fails
     */
    public static void migrate(HikariDataSource dataSource, String kind, DatabaseSettings settings) {
        if (settings.separateMigrationUser()) {
            try (HikariDataSource owner = pool(settings.asMigrationUser(), dataSource.getPoolName() + "-migrations")) {
                migrateWith(owner, kind, settings.asMigrationUser());
            }
        } else {
            migrateWith(dataSource, kind, settings);
        }
    }

    private static void migrateWith(HikariDataSource dataSource, String kind, DatabaseSettings settings) {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/" + kind)
                    .validateMigrationNaming(true)
                    .load()
                    .migrate();
            log.info("Schema {} is up to date ({} migration(s) applied now)", settings.displayUrl(), result.migrationsExecuted);
        } catch (FlywayException e) {
            throw new StorageException(unreachableMessage(settings, e), e);
        }
    }

    /** Work on a connection inside a transaction. */
    @FunctionalInterface
    public interface TransactionWork {
        void run(Connection connection) throws SQLException;
    }

    /**
     * Runs the work in one transaction on a connection from the pool: committed when the work
     * returns, rolled back when it throws (the exception is rethrown, a failed rollback added to it).
     * On a {@link #transactionPool} the connection is already in a transaction mode; on any other
     * pool autocommit is turned off for the work and on again after it.
     */
    public static void inTransaction(DataSource dataSource, TransactionWork work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                if (autoCommit) {
                    connection.setAutoCommit(true);
                }
            }
        }
    }

    /** Work on a connection inside a transaction that produces a value. */
    @FunctionalInterface
    public interface TransactionFunction<T> {
        T apply(Connection connection) throws SQLException;
    }

    /**
     * Runs the work in one transaction, as {@link #inTransaction}, and returns what it produced once
     * the transaction is committed.
     */
    public static <T> T fromTransaction(DataSource dataSource, TransactionFunction<T> work) throws SQLException {
        List<T> result = new ArrayList<>(1);
        inTransaction(dataSource, connection -> result.add(work.apply(connection)));
        return result.get(0);
    }

    /** "Cannot reach MySQL at host:port ..." when the cause is a connection failure, else the failure. */
    public static String unreachableMessage(DatabaseSettings settings, Throwable error) {
        if (isConnectionProblem(error)) {
            return "Cannot reach MySQL at " + settings.hostAndPort() + " (" + settings.displayUrl() + ") as user "
                    + settings.user() + ": is it running, and are the URL, user and password right?";
        }
        if (isMissingTable(error)) {
            return "The salesync tables do not exist yet in " + settings.displayUrl()
                    + ": start the application once so that it creates them.";
        }
        return "Database error at " + settings.displayUrl() + ": " + rootMessage(error);
    }

    /** True when the failure is about reaching or logging in to the server, not about a statement. */
    public static boolean isConnectionProblem(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof java.net.ConnectException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("28000"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isMissingTable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "42S02".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    public static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
