package io.salesync.it.fault;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.salesync.branch.BranchOffice;
import io.salesync.branch.BranchOfficeMain;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.config.RelaySettings;
import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.testing.PrivateRabbitCluster;
import io.salesync.common.testing.Sandbox;
import io.salesync.headoffice.HeadOfficeMain;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.it.fault.ClusterView.QueueConsumer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The world of one failover run on a 3-node RabbitMQ cluster of the suite's own: two head-office
 * processes on the same queue (single active consumer: one consumes, one stands by) and two
 * branches, all real processes listing the three nodes in {@code salesync.broker.addresses}; the
 * load writers; and what the cluster says about itself (which node holds the queue's leader, which
 * node a branch is connected to, which head office is the active consumer). Everything of the run
 * lives under {@code <report-dir>/failover-runs/<run>}.
 *
 * <p>The applications log in as the cluster's development administrator (the head office's user
 * may speak for any branch), with the run's own prefixed names in the vhost "/".
 */
final class FailoverRig implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** How long a gap may stay open before the head office reports it and asks for a resend. */
    static final int GAP_REPORT_SECONDS = 5;

    private static final List<String> BRANCH_KEYS = List.of("bo1", "bo2");
    private static final Pattern PROCESS_TAG = Pattern.compile("salesync-head-office-(\\d+)@");

    private final PrivateRabbitCluster cluster;
    private final String runName;
    private final Path runDir;
    private final Path configDir;
    private final Sandbox sandbox;
    private final Map<String, String> shortNames = new LinkedHashMap<>();
    private final Map<String, ChildProcess> branches = new LinkedHashMap<>();
    private final List<ChildProcess> headOffices = new ArrayList<>();
    private final Map<String, BranchOffice> writerOffices = new LinkedHashMap<>();
    private final Map<String, LoadWriter> writers = new LinkedHashMap<>();
    private final ClusterView clusterView;
    private RunInspector inspector;

    private FailoverRig(PrivateRabbitCluster cluster, String runName, Path runDir) {
        this.cluster = cluster;
        this.runName = runName;
        this.runDir = runDir;
        this.configDir = runDir.resolve("config");
        this.sandbox = new Sandbox(cluster.amqp(1));
        this.clusterView = new ClusterView(cluster, runName, sandbox.topology().salesQueue());
    }

    /** Prepares the run's names, schemas and configuration files; starts no application yet. */
    static FailoverRig open(Path reportDir, String runName, PrivateRabbitCluster cluster) {
        Path runDir = reportDir.resolve("failover-runs").resolve(runName).toAbsolutePath();
        try {
            if (Files.exists(runDir)) {
                try (var files = Files.walk(runDir)) {
                    for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            Files.createDirectories(runDir.resolve("config"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FailoverRig rig = new FailoverRig(cluster, runName, runDir);
        try {
            rig.writeConfiguration();
            return rig;
        } catch (RuntimeException | Error e) {
            rig.close();
            throw e;
        }
    }

    private void writeConfiguration() {
        Map<String, String> ho = new LinkedHashMap<>(HeadOfficeConfig.defaults());
        ho.putAll(sandbox.database("ho"));
        ho.putAll(broker());
        ho.put(HeadOfficeConfig.GAP_REPORT_S, String.valueOf(GAP_REPORT_SECONDS));
        Path hoFile = configDir.resolve("head-office.properties");
        write(hoFile, ho);
        for (String letter : List.of("a", "b")) {
            headOffices.add(new ChildProcess(
                    "head office " + letter,
                    HeadOfficeMain.class,
                    List.of("run", "--headless", "--config", hoFile.toString()),
                    runDir.resolve("head-office-" + letter + ".log")));
        }
        for (String key : BRANCH_KEYS) {
            String id = sandbox.prefix() + "-" + key;
            shortNames.put(id, key);
            Path file = configDir.resolve("branch-" + id + ".properties");
            write(file, branchValues(id));
            branches.put(
                    id,
                    new ChildProcess(
                            "branch " + key,
                            BranchOfficeMain.class,
                            List.of("run", "--headless", "--config", file.toString()),
                            runDir.resolve("branch-" + key + ".log")));
        }
    }

    private Map<String, String> branchValues(String id) {
        Map<String, String> values = new LinkedHashMap<>(BranchConfig.defaults(id));
        values.putAll(sandbox.database(shortNames.get(id)));
        values.putAll(broker());
        values.put(RelaySettings.IDLE_POLL_MS, "100");
        values.put(RelaySettings.CONFIRM_TIMEOUT_MS, "3000");
        return values;
    }

    private Map<String, String> broker() {
        Map<String, String> values = new LinkedHashMap<>(sandbox.broker());
        values.put(BrokerSettings.ADDRESSES, cluster.addresses());
        return values;
    }

    String name() {
        return runName;
    }

    Path runDir() {
        return runDir;
    }

    List<String> branchIds() {
        return List.copyOf(branches.keySet());
    }

    String shortName(String branchId) {
        return shortNames.get(branchId);
    }

    // ---- applications ----------------------------------------------------------------------

    void startBranches() {
        branches.values().forEach(ChildProcess::start);
        branches.values().forEach(branch -> branch.awaitLog("broker state: CONNECTED", READY_TIMEOUT));
    }

    /** Starts both head offices at the same moment; returns when that was, {@link System#nanoTime()}. */
    long launchHeadOffices() {
        long at = System.nanoTime();
        headOffices.forEach(ChildProcess::start);
        return at;
    }

    /**
     * Waits until one head office says it consumes and the other that it stands by, then until the
     * broker lists both on the queue, exactly one of them active. (Each rabbitmqctl call starts an
     * Erlang VM: the logs are watched first, the broker asked only then, once a second.)
     */
    void awaitOneActiveOfTwo() {
        await().atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .alias(runName + ": one head office consuming, one standing by")
                .until(() -> headOffices.stream()
                                .allMatch(p -> p.logged("Head office standing by") || p.logged("Head office consuming"))
                        && headOffices.stream().anyMatch(p -> p.logged("Head office consuming")));
        await().atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofSeconds(1))
                .alias(runName + ": two head-office consumers on the queue, one active")
                .until(() -> {
                    List<QueueConsumer> consumers = consumers();
                    return consumers.size() == 2
                            && consumers.stream().filter(QueueConsumer::active).count() == 1;
                });
    }

    List<ChildProcess> headOffices() {
        return List.copyOf(headOffices);
    }

    /** The head office the broker lists as the queue's active consumer. */
    ChildProcess active() {
        for (QueueConsumer consumer : consumers()) {
            if (consumer.active()) {
                return headOfficeOf(consumer.tag());
            }
        }
        throw new IllegalStateException(runName + ": no active consumer on the head office's queue");
    }

    /** The head office whose consumer tag is {@code tag} ({@code salesync-head-office-<pid>@host}). */
    ChildProcess headOfficeOf(String tag) {
        Matcher matcher = PROCESS_TAG.matcher(tag);
        if (matcher.find()) {
            long pid = Long.parseLong(matcher.group(1));
            for (ChildProcess headOffice : headOffices) {
                if (headOffice.alive() && headOffice.pid() == pid) {
                    return headOffice;
                }
            }
        }
        throw new IllegalStateException(runName + ": consumer " + tag + " is none of the run's head offices");
    }

    ChildProcess other(ChildProcess headOffice) {
        return headOffices.get(0) == headOffice ? headOffices.get(1) : headOffices.get(0);
    }

    /** Appends each running process's threads to its log (a run that did not converge). */
    void dumpThreads() {
        headOffices.forEach(ChildProcess::dumpThreads);
        branches.values().forEach(ChildProcess::dumpThreads);
    }

    // ---- load ------------------------------------------------------------------------------

    void startLoad(int ratePerBranch, Random random) {
        for (String id : branches.keySet()) {
            BranchOffice office = BranchOffice.open(BranchConfig.from(ConfigSource.of(branchValues(id))), status -> {});
            writerOffices.put(id, office);
            LoadWriter writer = new LoadWriter(id, office.saleService(), ratePerBranch, random.nextLong());
            writers.put(id, writer);
            writer.start();
        }
    }

    void stopLoad() {
        writers.values().forEach(LoadWriter::stop);
    }

    List<LoadWriter> writers() {
        return List.copyOf(writers.values());
    }

    // ---- the cluster -----------------------------------------------------------------------

    /** The consumers of the head office's queue. */
    List<QueueConsumer> consumers() {
        return clusterView.consumers();
    }

    /** The node (1 to 3) holding the leader of the head office's queue. */
    int leaderNode() {
        return clusterView.leaderNode();
    }

    /** The node (1 to 3) the branch's relay is connected to, 0 when it has no connection. */
    int nodeOfBranch(String branchId) {
        return clusterView.nodeOfBranch(branchId);
    }

    /** Kills node {@code node} with SIGKILL; returns when, {@link System#nanoTime()}. */
    long killNode(int node) {
        return clusterView.killNode(node);
    }

    /** Starts the killed nodes again and waits until the three form one cluster. */
    void restartNodes() {
        clusterView.restartNodes();
    }

    // ---- what the head office holds -------------------------------------------------------

    synchronized RunInspector inspect() {
        if (inspector == null) {
            Map<String, DataSource> databases = new LinkedHashMap<>();
            for (String id : branches.keySet()) {
                databases.put(id, sandbox.dataSource(shortNames.get(id)));
            }
            Map<String, String> ho = sandbox.database("ho");
            inspector = new RunInspector(
                    runName,
                    databases,
                    new DatabaseSettings(
                            ho.get(DatabaseSettings.URL),
                            ho.get(DatabaseSettings.USER),
                            ho.get(DatabaseSettings.PASSWORD),
                            2),
                    configDir,
                    cluster.amqp(1).uri(),
                    cluster.amqp(1).user(),
                    cluster.amqp(1).password(),
                    sandbox.topology());
        }
        return inspector;
    }

    /** Each branch's highest committed sequence number now. */
    Map<String, Long> committedSeqs() throws SQLException {
        Map<String, Long> committed = new LinkedHashMap<>();
        for (String id : branches.keySet()) {
            committed.put(id, inspect().committedSeq(id));
        }
        return committed;
    }

    /** Branches of the run whose sequence tracking has a gap open at the head office now. */
    long openGaps() {
        return sandbox.count(
                "ho",
                "SELECT COUNT(*) FROM branch_progress WHERE gap_since IS NOT NULL AND branch_id IN (?, ?)",
                branchIds().toArray());
    }

    /** Head-office processes that have ever recorded themselves as the active consumer. */
    long processesEverActive() {
        return sandbox.count("ho", "SELECT COUNT(*) FROM head_office_process WHERE active_at IS NOT NULL");
    }

    // ---- teardown --------------------------------------------------------------------------

    @Override
    public void close() {
        List<Runnable> steps = new ArrayList<>();
        steps.add(this::stopLoad);
        steps.add(() -> writerOffices.values().forEach(BranchOffice::close));
        steps.add(() -> branches.values().stream().filter(ChildProcess::alive).forEach(ChildProcess::kill));
        steps.add(() -> headOffices.stream().filter(ChildProcess::alive).forEach(ChildProcess::kill));
        steps.add(() -> {
            if (inspector != null) {
                inspector.close();
            }
        });
        steps.add(this::restartNodes);
        steps.add(this::deleteControlQueues);
        steps.add(sandbox::close);
        Teardown.runAll(steps);
    }

    /** The head office declares a control queue per branch, named after the branch id, which the sandbox does not know. */
    private void deleteControlQueues() {
        try (Connection connection = sandbox.amqpConnection();
                Channel channel = connection.createChannel()) {
            for (String id : branches.keySet()) {
                channel.queueDelete(sandbox.topology().controlQueue(id));
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            // best effort: the names are unique per run
        }
    }

    private static void write(Path file, Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "written by the failover suite");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
