package io.salesync.headoffice;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.db.Databases;
import io.salesync.common.db.SchemaVersion;
import io.salesync.common.db.StorageException;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.messaging.AmqpBranchRequests;
import io.salesync.headoffice.messaging.AmqpDeadLetterRepublisher;
import io.salesync.headoffice.model.WriteAccess;
import io.salesync.headoffice.persistence.BranchRequestRepository;
import io.salesync.headoffice.persistence.ChangeMarks;
import io.salesync.headoffice.persistence.WriteProbe;
import io.salesync.headoffice.service.ChangeWatch;
import io.salesync.headoffice.service.HeadOfficeServices;
import io.salesync.headoffice.service.RecordingBranchRequests;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head office for a manager's window that only reads: one pool on the aggregate database and
 * no consumer. It never migrates (its user usually may not); it checks that the head office has
 * created its tables, finds what its user may change ({@link WriteProbe}), and learns of new changes
 * by asking the database ({@link ChangeWatch}). It opens no broker connection, unless its user may
 * write and the manager asks for a retry or a request to a branch (then one on demand).
 */
public final class HeadOfficeView implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeadOfficeView.class);
    /** Read at start-up as the window's user, to find a refused password or a missing right at once. */
    private static final String ACCESS_PROBE = "SELECT 1 FROM sale LIMIT 1";

    private final HeadOfficeConfig config;
    private final HikariDataSource dataSource;
    private final WriteAccess access;
    private final AmqpBranchRequests sender;
    private final AmqpDeadLetterRepublisher republisher;
    private ChangeWatch watch;

    private HeadOfficeView(HeadOfficeConfig config, HikariDataSource dataSource, WriteAccess access) {
        this.config = config;
        this.dataSource = dataSource;
        this.access = access;
        Topology topology = new Topology(config.broker().prefix());
        this.sender = new AmqpBranchRequests(
                new BrokerConnector(config.broker(), "salesync-head-office-view-requests", false),
                topology,
                new SaleChangeCodec());
        this.republisher = new AmqpDeadLetterRepublisher(
                new BrokerConnector(config.broker(), "salesync-head-office-view-retry", false), topology);
    }

    /**
     * Opens the aggregate database as the window's user, without migrating.
     *
     * @throws StorageException when the database cannot be reached or read, or the head office has
     *                          not created (or updated) its tables yet; waiting may help either way
     */
    public static HeadOfficeView open(HeadOfficeConfig config) {
        HikariDataSource dataSource = Databases.pool(config.database(), "head-office-view");
        try {
            requireTables(config, Databases.schemaVersion(dataSource, "head-office", config.database()));
            Databases.checkAccess(dataSource, config.database(), ACCESS_PROBE);
            WriteAccess access = new WriteProbe(dataSource).probe();
            log.info(
                    "Head office database open to read, as {}; it may {}",
                    config.database().user(),
                    describe(access));
            return new HeadOfficeView(config, dataSource, access);
        } catch (SQLException e) {
            dataSource.close();
            throw new StorageException(Databases.unreachableMessage(config.database(), e), e);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** The tables must be there, at the version this window reads: only the head office service creates them. */
    static void requireTables(HeadOfficeConfig config, SchemaVersion version) {
        String url = config.database().displayUrl();
        if (version.missing()) {
            throw new StorageException(
                    "The salesync tables do not exist yet in " + url + ": the head office has not created"
                            + " its tables yet; start the head office service first.",
                    null);
        }
        if (version.behind()) {
            throw new StorageException(
                    "The salesync tables do not exist yet in the form this window reads: " + url
                            + " is at schema version " + version.applied() + ", this window needs version "
                            + version.shipped()
                            + ". The head office service brings them up to date when it starts: start it (of this salesync version)"
                            + " first.",
                    null);
        }
    }

    private static String describe(WriteAccess access) {
        if (!access.any()) {
            return "only read";
        }
        return (access.deadLetters() ? "decide on dead letters" : "not decide on dead letters")
                + (access.requests() ? " and send requests to branches" : " nor send requests to branches");
    }

    /** What its user may change. */
    public WriteAccess access() {
        return access;
    }

    /** The services the window uses; those that write are refused by the server unless {@link #access()} allows them. */
    public HeadOfficeServices services() {
        return HeadOffice.services(
                config,
                dataSource,
                new RecordingBranchRequests(new BranchRequestRepository(dataSource), sender, config.database()),
                republisher,
                access);
    }

    /** Starts asking the database for new changes every {@code salesync.head-office.view-poll-ms}. */
    public synchronized HeadOfficeView startWatch(ChangeWatch.Listener listener) {
        if (watch == null) {
            watch = new ChangeWatch(new ChangeMarks(dataSource), config.database(), config.viewPoll(), listener)
                    .start();
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.close();
        }
        sender.close();
        republisher.close();
        dataSource.close();
    }
}
