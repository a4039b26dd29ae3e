package io.salesync.it.fault;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.salesync.branch.BranchOffice;
import io.salesync.branch.BranchOfficeMain;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.config.RelaySettings;
import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.testing.BrokerUsers;
import io.salesync.common.testing.PrivateMariaDb;
import io.salesync.common.testing.PrivateRabbitNode;
import io.salesync.common.testing.Sandbox;
import io.salesync.common.testing.ShippedPermissions;
import io.salesync.headoffice.HeadOfficeMain;
import io.salesync.headoffice.config.HeadOfficeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The world of one fault run: a head office and two branches as real processes, their databases
 * and broker (shared servers in a sandbox, or a private RabbitMQ node and a private MariaDB server
 * for the head office when a scenario stops them), the load writers, and the checks that compare
 * the branches with the head office. Everything of the run lives under
 * {@code <report-dir>/fault-runs/<run>}: configuration files, process logs, private servers' logs.
 *
 * <p>On the shared broker each application has its own broker user, with the permissions the
 * deployment gives it (rabbitmq/definitions.json, with this sandbox's names), so that a scenario
 * can find and cut exactly this run's connections through the management API.
 */
final class FaultRig implements AutoCloseable {

    enum Broker {
        /** The shared broker, with the run's exchanges and queues declared, as after the head office's first run. */
        SHARED,
        /** The shared broker with none of the run's exchanges and queues: the head office has never run. */
        SHARED_NOTHING_DECLARED,
        /** A private RabbitMQ node of the run's own, which a scenario may stop. */
        PRIVATE_NODE
    }

    enum HeadOfficeDatabase {
        SHARED,
        PRIVATE
    }

    static final String HEAD_OFFICE_SCHEMA = "salesync_ho";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> BRANCH_KEYS = List.of("bo1", "bo2");

    private final String runName;
    private final Path runDir;
    private final Path configDir;
    private final Sandbox sandbox;
    private final List<String> branchIds = new ArrayList<>();
    private final Map<String, String> schemaKeys = new HashMap<>();
    private final Map<String, String> brokerPasswords = new HashMap<>();
    private final Map<String, ChildProcess> branches = new LinkedHashMap<>();
    private final Map<String, BranchOffice> writerOffices = new HashMap<>();
    private final Map<String, LoadWriter> writers = new LinkedHashMap<>();
    private final List<AutoCloseable> extras = new ArrayList<>();
    private BrokerUsers users;
    private PrivateRabbitNode node;
    private PrivateMariaDb headOfficeServer;
    private URI brokerUri;
    private String headOfficeUser;
    private DatabaseSettings headOfficeDatabase;
    private ChildProcess headOffice;
    private RunInspector inspector;
    private Connection adminConnection;
    private Channel adminChannel;

    private FaultRig(String runName, Path runDir, Sandbox sandbox) {
        this.runName = runName;
        this.runDir = runDir;
        this.configDir = runDir.resolve("config");
        this.sandbox = sandbox;
    }

    /** Prepares the servers, users and configuration of a run; starts no application yet. */
    static FaultRig open(Path reportDir, String runName, Broker broker, HeadOfficeDatabase database) {
        Path runDir = reportDir.resolve("fault-runs").resolve(runName).toAbsolutePath();
        deleteRecursively(runDir);
        try {
            Files.createDirectories(runDir.resolve("config"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FaultRig rig = new FaultRig(
                runName, runDir, broker == Broker.SHARED_NOTHING_DECLARED ? Sandbox.withoutTopology() : new Sandbox());
        try {
            rig.prepareBroker(broker);
            rig.prepareHeadOfficeDatabase(database);
            rig.writeConfiguration();
            return rig;
        } catch (RuntimeException | Error e) {
            rig.close();
            throw e;
        }
    }

    private void prepareBroker(Broker broker) {
        for (String key : BRANCH_KEYS) {
            String id = sandbox.prefix() + "-" + key;
            branchIds.add(id);
            schemaKeys.put(id, key);
        }
        if (broker == Broker.PRIVATE_NODE) {
            node = PrivateRabbitNode.plain(runDir.resolve("rabbit"));
            brokerUri = node.uri();
            headOfficeUser = "guest";
            for (String id : branchIds) {
                brokerPasswords.put(id, "guest");
            }
            brokerPasswords.put(headOfficeUser, "guest");
            return;
        }
        brokerUri = sandbox.amqp().uri();
        users = new BrokerUsers(sandbox.amqp());
        for (String id : branchIds) {
            String password = UUID.randomUUID().toString();
            users.create(id, password);
            users.permit(id, ShippedPermissions.branch(sandbox.prefix(), id));
            brokerPasswords.put(id, password);
        }
        headOfficeUser = sandbox.prefix() + "-ho";
        String password = UUID.randomUUID().toString();
        users.create(headOfficeUser, password);
        users.permit(headOfficeUser, ShippedPermissions.headOffice(sandbox.prefix()));
        brokerPasswords.put(headOfficeUser, password);
    }

    private void prepareHeadOfficeDatabase(HeadOfficeDatabase database) {
        if (database == HeadOfficeDatabase.PRIVATE) {
            headOfficeServer = PrivateMariaDb.start(runDir.resolve("mariadb"));
            headOfficeServer.createSchema(HEAD_OFFICE_SCHEMA);
            headOfficeDatabase = new DatabaseSettings(
                    headOfficeServer.url(HEAD_OFFICE_SCHEMA), headOfficeServer.user(), headOfficeServer.password(), 4);
        } else {
            Map<String, String> values = sandbox.database("ho");
            headOfficeDatabase = new DatabaseSettings(
                    values.get(DatabaseSettings.URL),
                    values.get(DatabaseSettings.USER),
                    values.get(DatabaseSettings.PASSWORD),
                    4);
        }
    }

    private void writeConfiguration() {
        Map<String, String> ho = new LinkedHashMap<>(HeadOfficeConfig.defaults());
        ho.putAll(database(headOfficeDatabase));
        ho.putAll(broker(headOfficeUser));
        write(configDir.resolve("head-office.properties"), ho);
        headOffice = new ChildProcess(
                "head office",
                HeadOfficeMain.class,
                List.of(
                        "run",
                        "--headless",
                        "--config",
                        configDir.resolve("head-office.properties").toString()),
                runDir.resolve("head-office.log"));
        for (String id : branchIds) {
            Path file = configDir.resolve("branch-" + id + ".properties");
            write(file, branchValues(id));
            branches.put(
                    id,
                    new ChildProcess(
                            "branch " + schemaKeys.get(id),
                            BranchOfficeMain.class,
                            List.of("run", "--headless", "--config", file.toString()),
                            runDir.resolve("branch-" + schemaKeys.get(id) + ".log")));
        }
    }

    private Map<String, String> branchValues(String id) {
        Map<String, String> values = new LinkedHashMap<>(BranchConfig.defaults(id));
        values.putAll(sandbox.database(schemaKeys.get(id)));
        values.putAll(broker(node == null ? id : "guest"));
        values.put(RelaySettings.IDLE_POLL_MS, "100");
        values.put(RelaySettings.CONFIRM_TIMEOUT_MS, "3000");
        return values;
    }

    private Map<String, String> broker(String user) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(BrokerSettings.URI_KEY, brokerUri.toString());
        values.put(BrokerSettings.USER, user);
        values.put(BrokerSettings.PASSWORD, brokerPasswords.get(user));
        values.put(BrokerSettings.PREFIX, sandbox.prefix());
        return values;
    }

    private static Map<String, String> database(DatabaseSettings settings) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(DatabaseSettings.URL, settings.url());
        values.put(DatabaseSettings.USER, settings.user());
        values.put(DatabaseSettings.PASSWORD, settings.password());
        values.put(DatabaseSettings.POOL_SIZE, "4");
        return values;
    }

    String name() {
        return runName;
    }

    Path runDir() {
        return runDir;
    }

    List<String> branchIds() {
        return List.copyOf(branchIds);
    }

    /** bo1 or bo2: the short name of a branch in logs and notes. */
    String shortName(String branchId) {
        return schemaKeys.get(branchId);
    }

    PrivateRabbitNode node() {
        return require(node, "this run has no private broker node");
    }

    PrivateMariaDb headOfficeServer() {
        return require(headOfficeServer, "this run has no private head-office database server");
    }

    // ---- applications ----------------------------------------------------------------------

    /**
     * Starts the head office and both branches at once (nothing is sent before the load starts, so
     * the order does not matter) and waits until the head office consumes and each branch is
     * connected.
     */
    void startApplications() {
        headOffice.start();
        branches.values().forEach(ChildProcess::start);
        headOffice.awaitLog("Head office consuming", READY_TIMEOUT);
        branches.values().forEach(branch -> branch.awaitLog("broker state: CONNECTED", READY_TIMEOUT));
    }

    /**
     * Starts only the branches, on a broker where the head office has not declared anything yet,
     * and waits until each says it waits for the head office (broker state NO_QUEUE).
     */
    void startBranchesBeforeHeadOffice() {
        branches.values().forEach(ChildProcess::start);
        branches.values().forEach(branch -> branch.awaitLog("broker state: NO_QUEUE", READY_TIMEOUT));
    }

    /** Starts the head office and waits until it consumes. */
    void startHeadOffice() {
        headOffice.start().awaitLog("Head office consuming", READY_TIMEOUT);
    }

    /** Starts the head office without waiting (the clock of a fault's end starts here). */
    void launchHeadOffice() {
        headOffice.start();
    }

    void awaitHeadOfficeConsuming() {
        headOffice.awaitLog("Head office consuming", READY_TIMEOUT);
    }

    long killHeadOffice() {
        return headOffice.kill();
    }

    void stopHeadOffice() {
        headOffice.stop();
    }

    void launchBranch(String branchId) {
        branches.get(branchId).start();
    }

    void awaitBranchConnected(String branchId) {
        branches.get(branchId).awaitLog("broker state: CONNECTED", READY_TIMEOUT);
    }

    long killBranch(String branchId) {
        return branches.get(branchId).kill();
    }

    /** Appends each running process's threads to its log (a run that did not converge). */
    void dumpThreads() {
        headOffice.dumpThreads();
        branches.values().forEach(ChildProcess::dumpThreads);
    }

    // ---- load ------------------------------------------------------------------------------

    /** Starts writing to every branch database through the product's sale service. */
    void startLoad(int ratePerBranch, Random random) {
        for (String id : branchIds) {
            BranchOffice office = BranchOffice.open(BranchConfig.from(ConfigSource.of(branchValues(id))), status -> {});
            writerOffices.put(id, office);
            LoadWriter writer = new LoadWriter(id, office.saleService(), ratePerBranch, random.nextLong());
            writers.put(id, writer);
            writer.start();
        }
    }

    LoadWriter writer(String branchId) {
        return writers.get(branchId);
    }

    void stopLoad() {
        writers.values().forEach(LoadWriter::stop);
    }

    long changesMade() {
        return writers.values().stream().mapToLong(LoadWriter::changes).sum();
    }

    // ---- the broker -------------------------------------------------------------------------

    /** Connections of this run's applications at the shared broker, as the management API lists them. */
    List<String> brokerConnectionsOf(List<String> brokerUsers) {
        return require(users, "connections can be listed on the shared broker only")
                .connectionsOf(brokerUsers);
    }

    boolean closeBrokerConnection(String name, String reason) {
        return users.closeConnection(name, reason);
    }

    String headOfficeBrokerUser() {
        return headOfficeUser;
    }

    /**
     * Deletes the head office's queue at the shared broker, as an operator would by mistake (the
     * administrator's connection, not the application's); whatever it held is gone from RabbitMQ.
     *
     * @return how many messages the queue held when it was deleted
     */
    int deleteSalesQueue() throws IOException {
        require(users, "the queue is deleted on the shared broker only");
        return adminChannel().queueDelete(sandbox.topology().salesQueue()).getMessageCount();
    }

    /** Whether the run's sales exchange exists at the shared broker (asked passively, on a channel of its own). */
    boolean salesExchangeExists() throws IOException {
        require(users, "the exchange is looked for on the shared broker only");
        Channel probe = adminConnection().createChannel();
        try {
            probe.exchangeDeclarePassive(sandbox.topology().salesExchange());
            return true;
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException signal
                    && signal.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == AMQP.NOT_FOUND) {
                return false;
            }
            throw e;
        } finally {
            if (probe.isOpen()) {
                try {
                    probe.close();
                } catch (TimeoutException e) {
                    // closed all the same
                }
            }
        }
    }

    private Channel adminChannel() throws IOException {
        if (adminChannel == null || !adminChannel.isOpen()) {
            adminChannel = adminConnection().createChannel();
        }
        return adminChannel;
    }

    private Connection adminConnection() {
        if (adminConnection == null || !adminConnection.isOpen()) {
            adminConnection = sandbox.amqpConnection();
        }
        return adminConnection;
    }

    /**
     * Sends a branch a request as the head office's command does ({@code ./salesync checkpoint|resync}):
     * recorded in the head office's database, then sent.
     */
    void request(String branchId, io.salesync.common.event.BranchCommand.Action action) {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(database(headOfficeDatabase));
        values.putAll(broker(headOfficeUser));
        try (io.salesync.headoffice.HeadOffice office =
                io.salesync.headoffice.HeadOffice.open(HeadOfficeConfig.from(ConfigSource.of(values)), status -> {})) {
            office.requests()
                    .send(io.salesync.common.event.BranchCommand.of(
                            branchId, action, java.time.Instant.now(), "fault suite"));
        }
    }

    /** A publisher that speaks as the branch, for injected duplicates and reordering. */
    ReplayPublisher replayPublisher(String branchId, Random random) {
        ReplayPublisher publisher = new ReplayPublisher(
                branchId,
                branchDatabase(branchId),
                sandbox.topology(),
                brokerUri,
                node == null ? branchId : "guest",
                brokerPasswords.get(branchId),
                random);
        extras.add(publisher);
        return publisher;
    }

    /** What this run's databases and broker say; closed with the rig. */
    synchronized RunInspector inspect() {
        if (inspector == null) {
            Map<String, DataSource> databases = new LinkedHashMap<>();
            for (String id : branchIds) {
                databases.put(id, branchDatabase(id));
            }
            inspector = new RunInspector(
                    runName,
                    databases,
                    headOfficeDatabase,
                    configDir,
                    brokerUri,
                    node == null ? sandbox.amqp().user() : "guest",
                    node == null ? sandbox.amqp().password() : "guest",
                    sandbox.topology());
        }
        return inspector;
    }

    private DataSource branchDatabase(String branchId) {
        return sandbox.dataSource(schemaKeys.get(branchId));
    }

    // ---- teardown --------------------------------------------------------------------------

    /** Stops the load, kills the processes, stops the private servers and drops the sandbox. */
    @Override
    public void close() {
        List<Runnable> steps = new ArrayList<>();
        steps.add(this::stopLoad);
        steps.add(() -> writerOffices.values().forEach(BranchOffice::close));
        steps.add(() -> extras.forEach(FaultRig::closeQuietly));
        steps.add(() -> branches.values().stream().filter(ChildProcess::alive).forEach(ChildProcess::kill));
        steps.add(() -> {
            if (headOffice != null && headOffice.alive()) {
                headOffice.kill();
            }
        });
        steps.add(() -> {
            if (inspector != null) {
                inspector.close();
            }
        });
        steps.add(this::deleteControlQueues);
        steps.add(() -> {
            if (users != null) {
                users.close();
            }
        });
        steps.add(() -> {
            if (node != null) {
                node.close();
                deleteRecursively(runDir.resolve("rabbit").resolve("mnesia"));
            }
        });
        steps.add(() -> {
            if (headOfficeServer != null) {
                headOfficeServer.close();
            }
        });
        steps.add(sandbox::close);
        Teardown.runAll(steps);
    }

    /** The head office declares a control queue per branch, named after the branch id, which the sandbox does not know. */
    private void deleteControlQueues() {
        if (users == null) {
            return;
        }
        try {
            for (String id : branchIds) {
                adminChannel().queueDelete(sandbox.topology().controlQueue(id));
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the names are unique per run
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // best effort at teardown
        }
    }

    private static <T> T require(T value, String why) {
        if (value == null) {
            throw new IllegalStateException(why);
        }
        return value;
    }

    private static void write(Path file, Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "written by the fault suite");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
