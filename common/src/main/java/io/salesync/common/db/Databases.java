package io.salesync.common.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connection pools and schema migrations for the salesync MySQL schemas. */
public final class Databases {

    private static final Logger log = LoggerFactory.getLogger(Databases.class);
    /** How long the pool waits for a connection before it gives up (a start-up check with it). */
    static final long CONNECTION_TIMEOUT_MS = 5_000;

    private Databases() {}

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
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setValidationTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(autoCommit);
        // InnoDB's default, named: HikariCP reads the server's level once per pool, and when the
        // connection it reads it on is lost then, it would set an invalid level on every new
        // connection and never hand one out again.
        config.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
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
                migrateWith(
                        owner,
                        kind,
                        settings.asMigrationUser(),
                        DatabaseSettings.MIGRATION_USER,
                        DatabaseSettings.MIGRATION_PASSWORD);
            }
        } else {
            migrateWith(dataSource, kind, settings, DatabaseSettings.USER, DatabaseSettings.PASSWORD);
        }
    }

    /** @param userKey and {@code passwordKey}: where the user that migrates is configured, for the message when it is refused */
    private static void migrateWith(
            HikariDataSource dataSource, String kind, DatabaseSettings settings, String userKey, String passwordKey) {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/" + kind)
                    .validateMigrationNaming(true)
                    .load()
                    .migrate();
            log.info(
                    "Schema {} is up to date ({} migration(s) applied now)",
                    settings.displayUrl(),
                    result.migrationsExecuted);
        } catch (FlywayException e) {
            throw new StorageException(
                    DatabaseFailures.problem(settings, e, userKey, passwordKey, DatabaseFailures.MIGRATION_RIGHTS)
                            .sentence(),
                    e);
        }
    }

    /**
     * Reads which of the migrations under {@code classpath:db/migration/<kind>} the schema has,
     * changing nothing: for a user that may only read, which must not (and cannot) migrate.
     *
     * @throws StorageException when the database cannot be reached or read
     */
    public static SchemaVersion schemaVersion(DataSource dataSource, String kind, DatabaseSettings settings) {
        try {
            MigrationInfoService info = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/" + kind)
                    .load()
                    .info();
            MigrationInfo current = info.current();
            String shipped = null;
            for (MigrationInfo migration : info.all()) {
                if (migration.getVersion() != null && migration.getState().isResolved()) {
                    shipped = migration.getVersion().getVersion();
                }
            }
            return new SchemaVersion(
                    current == null || current.getVersion() == null
                            ? null
                            : current.getVersion().getVersion(),
                    shipped,
                    info.pending().length);
        } catch (FlywayException e) {
            throw new StorageException(problem(settings, e).sentence(), e);
        }
    }

    /**
     * Checks at start-up that the application's own user can log in and run {@code probe} (a read
     * of one of its tables, the application's own constant), so that a wrong password, a missing
     * database or a missing right is reported at once rather than at the first change. Waits as
     * long as the pool waits for a connection (5 s) when the server does not answer.
     *
     * @throws StorageException saying what is wrong; its {@link StorageException#kind()} tells
     *                          whether waiting helps
     */
    public static void checkAccess(DataSource dataSource, DatabaseSettings settings, String probe) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(probe)) {
            statement.executeQuery().close();
        } catch (SQLException e) {
            throw new StorageException(problem(settings, e).sentence(), e);
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
        fromTransaction(dataSource, connection -> {
            work.run(connection);
            return null;
        });
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
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
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

    /**
     * The sentence for a failure as the application's own user: what failed and what to do. Kept
     * under its old name for the callers that only pass the sentence on; see {@link #problem}.
     */
    public static String unreachableMessage(DatabaseSettings settings, Throwable error) {
        return problem(settings, error).sentence();
    }

    /**
     * What went wrong, as the application's own user ({@link DatabaseSettings#USER}): the server
     * does not answer, refused the user or password, has no such database, or the user lacks a
     * right; else the failure of a statement.
     */
    public static DatabaseProblem problem(DatabaseSettings settings, Throwable error) {
        return DatabaseFailures.problem(
                settings, error, DatabaseSettings.USER, DatabaseSettings.PASSWORD, DatabaseFailures.APPLICATION_RIGHTS);
    }

    /**
     * The kind of a failure, from the MySQL error codes and SQLStates anywhere in its causes (the
     * pool and Flyway wrap the driver's exception).
     */
    public static DatabaseProblem.Kind kind(Throwable error) {
        return DatabaseFailures.kind(error);
    }

    /**
     * True when the failure is about reaching or logging in to the server, not about a statement.
     * A refused login counts, as it always did: a long-running service keeps retrying it (the
     * password may be fixed on the server while it runs); {@link #kind} tells the two apart.
     */
    public static boolean isConnectionProblem(Throwable error) {
        return DatabaseFailures.isConnectionProblem(error);
    }

    public static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
