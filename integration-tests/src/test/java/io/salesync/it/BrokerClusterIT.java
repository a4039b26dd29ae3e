package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.config.RelaySettings;
import io.salesync.branch.messaging.RelayStatus.BrokerState;
import io.salesync.common.amqp.BrokerConnector;
import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.testing.PrivateRabbitCluster;
import io.salesync.common.testing.QueueReader;
import io.salesync.common.testing.Sandbox;
import io.salesync.common.testing.TestServices;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applications on a 3-node RabbitMQ cluster of the test's own ({@code scripts/local-rabbitmq-cluster.sh}),
 * reached through {@code salesync.broker.addresses}: the node a branch's relay or the head office's
 * consumer is connected to is killed with SIGKILL while a clerk keeps saving sales; the connection
 * moves to another node by itself, no change is lost, and the time from the kill until changes
 * flow again is measured and logged.
 */
class BrokerClusterIT {

    private static final Logger log = LoggerFactory.getLogger(BrokerClusterIT.class);
    private static final String BRANCH = "bo1";

    @TempDir
    static Path directory;

    private static PrivateRabbitCluster cluster;

    private Sandbox sandbox;
    private final Map<String, javax.sql.DataSource> pools = new HashMap<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Clerk clerk;

    @BeforeAll
    static void startCluster() {
        TestServices.mysql(); // a missing MySQL skips (or, with CI=true, fails) before the cluster is started
        cluster = PrivateRabbitCluster.start(directory.resolve("cluster"));
        log.info("3-node RabbitMQ cluster started in {} s:\n{}", seconds(cluster.lastStart()), cluster.status());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void everyNodeRuns() {
        cluster.startStopped();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (clerk != null) {
            clerk.stop();
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** Connections with and without automatic recovery (the consumer's, the relay's) land on every node, not on the first. */
    @Test
    void connectionsSpreadOverTheNodes() throws Exception {
        sandbox = new Sandbox(cluster.amqp(1));
        BrokerSettings settings = BrokerSettings.from(ConfigSource.of(brokerKeys()));
        for (boolean recovering : new boolean[] {true, false}) {
            String name = "salesync-test-spread-" + recovering;
            BrokerConnector connector = new BrokerConnector(settings, name, recovering);
            TreeSet<Integer> nodes = new TreeSet<>();
            for (int i = 0; i < 30; i++) {
                try (Connection connection = connector.connect()) {
                    nodes.add(cluster.nodeOnPort(connection.getPort()));
                }
            }
            assertThat(nodes)
                    .as("nodes reached by 30 connections %s automatic recovery", recovering ? "with" : "without")
                    .containsExactly(1, 2, 3);
        }
    }

    @Test
    void relayMovesToAnotherNodeWhenItsNodeIsKilledAndLosesNoChange() throws Exception {
        sandbox = new Sandbox(cluster.amqp(1));
        BranchOffice branch = branch();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> branch.relay().status().broker() == BrokerState.CONNECTED);
        clerk = Clerk.start(branch);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> branch.relay().status().lastConfirmedSeq() >= 50);
        String connection = "salesync-branch-" + BRANCH;
        int victim = cluster.nodeOfConnection(connection, 1);
        assertThat(victim).as("the node of connection %s", connection).isBetween(1, 3);
        int survivor = victim == 1 ? 2 : 1;
        log.info(
                "Relay of {} on node {}; queue before the kill: {}",
                BRANCH,
                victim,
                cluster.queueMembers(survivor, "/", sandbox.topology().salesQueue()));

        long killedAt = cluster.kill(victim);
        long savedBeforeTheKill = branch.outbox().lastSeq();
        // A change saved after the kill, confirmed: it can only have gone through another node.
        Duration failover = timeUntil(killedAt, () -> branch.relay().status().lastConfirmedSeq(), savedBeforeTheKill);
        int movedTo = cluster.nodeOfConnection(connection, survivor);
        clerk.stop();
        long last = branch.outbox().lastSeq();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> branch.relay().status().backlog() == 0
                        && branch.relay().status().lastConfirmedSeq() >= last);

        log.info(
                "Relay failover: node {} killed with SIGKILL; {} s later a change of {} saved after the kill was confirmed"
                        + " through node {};"
                        + " {} changes saved meanwhile, every one in the queue",
                victim,
                seconds(failover),
                BRANCH,
                movedTo,
                clerk.saved());
        assertThat(movedTo).isBetween(1, 3).isNotEqualTo(victim);
        assertThat(queuedSequenceNumbers(survivor)).containsAll(range(1, last));
    }

    /**
     * The classic queues (dead letters, control) live on node 1, where the sandbox declared them; the
     * head office is connected to another node, and that node is killed. See
     * {@link #headOfficeKeepsConsumingWhenTheNodeHoldingItsDeadLetterQueueIsKilled} for the node of the
     * classic queues.
     */
    @Test
    void headOfficeConsumerMovesToAnotherNodeWhenItsNodeIsKilledAndAppliesEveryChange() throws Exception {
        sandbox = new Sandbox(cluster.amqp(1));
        BranchOffice branch = branch();
        HeadOffice headOffice = headOfficeNotOnNode(1);
        failOverHeadOffice(branch, headOffice);
    }

    /**
     * The head office declares its dead-letter queue itself, and the node it is connected to dies:
     * the dead-letter queue is replicated (a quorum queue) and its declaration is not in the way of
     * consuming, so the head office goes on through another node.
     */
    @Test
    void headOfficeKeepsConsumingWhenTheNodeHoldingItsDeadLetterQueueIsKilled() throws Exception {
        sandbox = new Sandbox(cluster.amqp(1));
        sandbox.channel().queueDelete(sandbox.topology().deadLetterQueue()); // the head office declares it, on its node
        BranchOffice branch = branch();
        HeadOffice headOffice = headOffice();
        failOverHeadOffice(branch, headOffice);
    }

    private void failOverHeadOffice(BranchOffice branch, HeadOffice headOffice) throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> headOffice.consumer().status().brokerConnected()
                        && branch.relay().status().broker() == BrokerState.CONNECTED);
        clerk = Clerk.start(branch);
        await().atMost(Duration.ofSeconds(30)).until(() -> appliedAtHeadOffice() >= 50);
        String connection = "salesync-head-office";
        int victim = cluster.nodeOfConnection(connection, 1);
        assertThat(victim).as("the node of connection %s", connection).isBetween(1, 3);
        int survivor = victim == 1 ? 2 : 1;
        log.info(
                "Head office consumer on node {}, relay of {} on node {}; queue before the kill: {}",
                victim,
                BRANCH,
                cluster.nodeOfConnection("salesync-branch-" + BRANCH, survivor),
                cluster.queueMembers(survivor, "/", sandbox.topology().salesQueue()));

        long killedAt = cluster.kill(victim);
        long savedBeforeTheKill = branch.outbox().lastSeq();
        // A change saved after the kill, applied: the consumer receives again, through another node.
        Duration failover = timeUntil(killedAt, this::appliedAtHeadOffice, savedBeforeTheKill);
        int movedTo = cluster.nodeOfConnection(connection, survivor);
        clerk.stop();
        long last = branch.outbox().lastSeq();
        await().atMost(Duration.ofSeconds(90))
                .until(() -> branch.relay().status().backlog() == 0
                        && appliedAtHeadOffice() == last
                        && rowsAtHeadOffice().equals(rowsAtBranch()));

        log.info(
                "Head office failover: node {} killed with SIGKILL; {} s later the head office applied a change saved after"
                        + " the kill, consuming through node {}; {} changes saved meanwhile, every one applied",
                victim,
                seconds(failover),
                movedTo,
                clerk.saved());
        assertThat(movedTo).isBetween(1, 3).isNotEqualTo(victim);
        assertThat(rowsAtHeadOffice()).hasSize(clerk.saved()).isEqualTo(rowsAtBranch());
    }

    /** A head office whose consumer is connected to another node than {@code node} (started again until it is). */
    private HeadOffice headOfficeNotOnNode(int node) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            HeadOffice headOffice = headOffice();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> headOffice.consumer().status().brokerConnected());
            if (cluster.nodeOfConnection("salesync-head-office", node) != node) {
                return headOffice;
            }
            open.remove(headOffice);
            headOffice.close();
        }
        throw new AssertionError(
                "the head office connected to node " + node + " 20 times in a row: the list is not shuffled");
    }

    // ---- the applications ------------------------------------------------------------------

    private Map<String, String> brokerKeys() {
        Map<String, String> values = new HashMap<>(sandbox.broker());
        values.put(BrokerSettings.ADDRESSES, cluster.addresses());
        return values;
    }

    private BranchOffice branch() {
        Map<String, String> values = new HashMap<>(BranchConfig.defaults(BRANCH));
        values.putAll(sandbox.database(BRANCH));
        values.putAll(brokerKeys());
        values.put(RelaySettings.IDLE_POLL_MS, "100");
        values.put(RelaySettings.CONFIRM_TIMEOUT_MS, "3000");
        values.put(BranchConfig.CHECKPOINT_INTERVAL_S, "0");
        BranchOffice branch = BranchOffice.open(BranchConfig.from(ConfigSource.of(values)), status -> {})
                .startRelay();
        open.add(branch);
        return branch;
    }

    private HeadOffice headOffice() {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(sandbox.database("ho"));
        values.putAll(brokerKeys());
        HeadOffice headOffice = HeadOffice.open(HeadOfficeConfig.from(ConfigSource.of(values)), status -> {})
                .startConsumer();
        open.add(headOffice);
        return headOffice;
    }

    /** Saves a sale every 20 ms until stopped, as a clerk at the till would, only faster. */
    private static final class Clerk {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger saved = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        private Clerk(BranchOffice branch) {
            thread = new Thread(
                    () -> {
                        try {
                            while (running.get()) {
                                int n = saved.get();
                                branch.saleService()
                                        .create(new SaleInput(
                                                LocalDate.of(2026, 11, 27),
                                                "North",
                                                "Cluster " + n,
                                                1 + n % 50,
                                                new BigDecimal("2.50")));
                                saved.incrementAndGet();
                                Thread.sleep(20);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (Exception | AssertionError e) {
                            failure.set(e);
                        }
                    },
                    "clerk");
            thread.start();
        }

        static Clerk start(BranchOffice branch) {
            return new Clerk(branch);
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
            assertThat(failure.get()).as("saving a sale failed").isNull();
        }

        int saved() {
            return saved.get();
        }
    }

    // ---- measuring and reading back --------------------------------------------------------

    /** From {@code killedAt} until {@code progress} passes {@code before}, polled every 10 ms. */
    private static Duration timeUntil(long killedAt, LongSupplier progress, long before) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> progress.getAsLong() > before);
        return Duration.ofNanos(System.nanoTime() - killedAt);
    }

    /** Every sequence number in the sandbox's sales queue, read (and removed) through node {@code node}. */
    private TreeSet<Long> queuedSequenceNumbers(int node) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(cluster.amqp(node).uri());
        factory.setUsername(cluster.amqp(node).user());
        factory.setPassword(cluster.amqp(node).password());
        TreeSet<Long> seqs = new TreeSet<>();
        try (Connection connection = factory.newConnection("salesync-test-drain");
                Channel channel = connection.createChannel()) {
            for (Delivery message :
                    QueueReader.drain(channel, sandbox.topology().salesQueue())) {
                String id = message.getProperties().getMessageId(); // bo1:42
                seqs.add(Long.parseLong(id.substring(id.indexOf(':') + 1)));
            }
        }
        return seqs;
    }

    /** The highest sequence number of the branch the head office has applied, 0 before the first. */
    private long appliedAtHeadOffice() {
        try (var connection = pools.computeIfAbsent("ho", sandbox::dataSource).getConnection();
                var statement =
                        connection.prepareStatement("SELECT last_seq FROM branch_progress WHERE branch_id = ?")) {
            statement.setString(1, BRANCH);
            try (var rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the head office's progress", e);
        }
    }

    private List<String> rowsAtHeadOffice() {
        return rows("ho", "SELECT " + ROW + " FROM sale WHERE branch_id = '" + BRANCH + "' ORDER BY sale_id");
    }

    private List<String> rowsAtBranch() {
        return rows(BRANCH, "SELECT " + ROW + " FROM sale ORDER BY sale_id");
    }

    private static final String ROW =
            "CONCAT_WS('|', sale_id, version, deleted, sale_date, region, product, qty, cost, amt, tax, total)";

    private List<String> rows(String schema, String sql) {
        try (var connection = pools.computeIfAbsent(schema, sandbox::dataSource).getConnection();
                var statement = connection.createStatement();
                var rs = statement.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the sales of " + schema, e);
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> values = new ArrayList<>();
        for (long value = from; value <= to; value++) {
            values.add(value);
        }
        return values;
    }

    private static String seconds(Duration duration) {
        return String.format("%.2f", duration.toMillis() / 1000.0);
    }
}
