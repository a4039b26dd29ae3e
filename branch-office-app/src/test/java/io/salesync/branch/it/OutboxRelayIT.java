package io.salesync.branch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.config.RelaySettings;
import io.salesync.branch.messaging.RelayStatus.BrokerState;
import io.salesync.branch.persistence.OutboxRepository;
import io.salesync.branch.service.StaleSaleException;
import io.salesync.common.amqp.MessageHeaders;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.event.ChangeOp;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.ValidationException;
import io.salesync.common.testing.QueueReader;
import io.salesync.common.testing.Sandbox;
import io.salesync.common.testing.TcpProxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The branch side of the chain against real MySQL and RabbitMQ: outbox, relay, confirms, outages. */
class OutboxRelayIT {

    private Sandbox sandbox;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp() {
        sandbox = new Sandbox();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void savedSaleIsPublishedPersistentlyAndMarkedOnlyAfterTheConfirm() throws Exception {
        BranchOffice branch = open(config(sandbox.broker())).startRelay();

        Sale sale = branch.saleService().create(input("North", "Paper", 3, "2.50"));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> branch.relay().status().backlog() == 0
                        && branch.relay().status().lastConfirmedSeq() == 1);
        assertThat(sandbox.count("bo1", "SELECT COUNT(*) FROM outbox WHERE published_at IS NOT NULL"))
                .isEqualTo(1);
        assertThat(mark()).isEqualTo(1);
        Channel channel = sandbox.channel();
        List<Delivery> messages = QueueReader.drain(channel, sandbox.topology().salesQueue());
        assertThat(messages).hasSize(1);
        Delivery message = messages.get(0);
        assertThat(message.getEnvelope().getRoutingKey()).isEqualTo("sales.bo1");
        assertThat(message.getProperties().getDeliveryMode()).isEqualTo(2);
        assertThat(message.getProperties().getMessageId()).isEqualTo("bo1:1");
        assertThat(message.getProperties().getType()).isEqualTo(SaleChange.MESSAGE_TYPE);
        assertThat(message.getProperties().getContentType()).isEqualTo("application/json");
        assertThat(message.getProperties().getUserId()).isEqualTo(sandbox.amqp().user());
        assertThat(message.getProperties().getHeaders()).containsKey(MessageHeaders.SCHEMA_VERSION);
        SaleChange change = new SaleChangeCodec().decode(message.getBody());
        assertThat(change.sale()).isEqualTo(sale);
        assertThat(change.op()).isEqualTo(ChangeOp.UPSERT);
        assertThat(change.seq()).isEqualTo(1);
    }

    @Test
    void correctionAndDeletionAreNewVersionsInTheOutbox() throws Exception {
        BranchOffice branch = open(config(sandbox.broker()));
        Sale created = branch.saleService().create(input("North", "Paper", 3, "2.50"));

        Sale corrected = branch.saleService().update(created.id(), 1, input("South", "Pens", 4, "1.25"));
        Sale deleted = branch.saleService().delete(created.id(), 2);

        assertThat(corrected.version()).isEqualTo(2);
        assertThat(corrected.total()).isEqualByComparingTo("5.40");
        assertThat(deleted.version()).isEqualTo(3);
        assertThat(deleted.deleted()).isTrue();
        assertThat(sandbox.count("bo1", "SELECT COUNT(*) FROM outbox")).isEqualTo(3);
        assertThat(sandbox.count("bo1", "SELECT COUNT(*) FROM sale WHERE deleted AND version = 3"))
                .isEqualTo(1);
        assertThat(branch.sales().listLive(10)).isEmpty();
    }

    @Test
    void invalidOrStaleChangesSaveNothing() throws Exception {
        BranchOffice branch = open(config(sandbox.broker()));
        Sale created = branch.saleService().create(input("North", "Paper", 3, "2.50"));

        assertThatThrownBy(() -> branch.saleService().create(input("North", "Paper", 0, "2.50")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Qty");
        assertThatThrownBy(() -> branch.saleService().update(created.id(), 7, input("North", "Paper", 1, "1.00")))
                .isInstanceOf(StaleSaleException.class);

        assertThat(sandbox.count("bo1", "SELECT COUNT(*) FROM outbox")).isEqualTo(1);
        assertThat(sandbox.count("bo1", "SELECT next_seq FROM outbox_sequence")).isEqualTo(2);
    }

    @Test
    void textIsStoredExactlyAsTyped() throws Exception {
        BranchOffice branch = open(config(sandbox.broker()));
        String region = "O'Brien \"North\"";
        String product = "'); DROP TABLE sale; -- Café «A4» 東京";

        Sale sale = branch.saleService().create(input(region, product, 1, "9.99"));

        assertThat(branch.sales().find(sale.id())).hasValueSatisfying(stored -> {
            assertThat(stored.region()).isEqualTo(region);
            assertThat(stored.product()).isEqualTo(product);
        });
    }

    @Test
    void brokerUnreachableWhileTheBranchWritesThenBackLosesNothingAndKeepsOrder() throws Exception {
        try (TcpProxy proxy =
                new TcpProxy(sandbox.amqp().uri().getHost(), port(sandbox.amqp().uri()))) {
            sandbox.channel();
            BranchOffice branch = open(config(sandbox.broker("amqp://127.0.0.1:" + proxy.port()
                            + sandbox.amqp().uri().getRawPath())))
                    .startRelay();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> branch.relay().status().broker() == BrokerState.CONNECTED);
            branch.saleService().create(input("North", "Before", 1, "1.00"));

            proxy.cut();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> branch.relay().status().broker() == BrokerState.RECONNECTING);
            for (int i = 0; i < 40; i++) {
                branch.saleService().create(input("North", "Offline " + i, 1 + i, "1.00"));
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> branch.relay().status().backlog() >= 40);
            assertThat(sandbox.count("bo1", "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL"))
                    .isGreaterThanOrEqualTo(40);

            proxy.restore();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> branch.relay().status().backlog() == 0
                            && branch.relay().status().broker() == BrokerState.CONNECTED);

            // 41 sales, and the startup checkpoint somewhere among them: every number, in order
            List<Long> firstSeen = drainSequenceNumbers();
            assertThat(firstSeen)
                    .containsExactlyElementsOf(range(1, branch.outbox().lastSeq() + 1));
            assertThat(firstSeen).hasSizeGreaterThanOrEqualTo(41);
        }
    }

    @Test
    void concurrentClerksAndAnotherProcessGetEveryChangeSentOnceInOrder() throws Exception {
        BranchOffice branch = open(config(sandbox.broker())).startRelay();
        // A second process on the same database (an import, say): its rows reach the relay only through the outbox.
        BranchOffice other = open(config(sandbox.broker()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> branch.relay().status().broker() == BrokerState.CONNECTED);
        int clerks = 6;
        int changesEach = 60;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < clerks; c++) {
            BranchOffice writer = c % 3 == 2 ? other : branch;
            int clerk = c;
            threads.add(new Thread(
                    () -> {
                        try {
                            Sale sale = null;
                            for (int i = 0; i < changesEach; i++) {
                                sale = sale == null || i % 4 == 0
                                        ? writer.saleService()
                                                .create(input("North", "Clerk " + clerk + " sale " + i, 1 + i, "1.00"))
                                        : writer.saleService()
                                                .update(
                                                        sale.id(),
                                                        sale.version(),
                                                        input("South", "Clerk " + clerk, 2 + i, "2.00"));
                            }
                        } catch (Exception | AssertionError e) {
                            failures.add(e);
                        }
                    },
                    "clerk-" + c));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertThat(failures).isEmpty();
        long last = branch.outbox().lastSeq();
        assertThat(last).isEqualTo((long) clerks * changesEach);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> branch.relay().status().lastConfirmedSeq() == last
                        && sandbox.count("bo1", "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL") == 0);

        Map<Long, byte[]> payloads = new HashMap<>();
        try (java.sql.Connection connection = sandbox.dataSource("bo1").getConnection();
                java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet rs = statement.executeQuery("SELECT seq, payload FROM outbox")) {
            while (rs.next()) {
                payloads.put(rs.getLong(1), rs.getBytes(2));
            }
        }
        Channel channel = sandbox.channel();
        SaleChangeCodec codec = new SaleChangeCodec();
        List<Long> sent = new ArrayList<>();
        for (Delivery message : QueueReader.drain(channel, sandbox.topology().salesQueue())) {
            long seq = codec.decodeMessage(message.getBody()).seq();
            sent.add(seq);
            assertThat(message.getProperties().getMessageId()).isEqualTo("bo1:" + seq);
            assertThat(message.getBody()).as("change %d as committed", seq).isEqualTo(payloads.get(seq));
        }
        assertThat(sent).as("every change once, in sequence order").containsExactlyElementsOf(range(1, last + 1));
        assertThat(payloads).hasSize((int) last);
    }

    @Test
    void aRestartWaitsForAChangeBetweenItsNumberAndItsCommit() throws Exception {
        BranchOffice branch = open(config(sandbox.broker()));
        branch.saleService().create(input("North", "Sent", 1, "1.00"));
        age("UPDATE outbox SET published_at = NOW(3)");
        try (java.sql.Connection writer = sandbox.dataSource("bo1").getConnection()) {
            writer.setAutoCommit(false);
            long seq = branch.outbox().reserveSequence(writer, 1);
            branch.outbox()
                    .append(
                            writer,
                            List.of(new OutboxRepository.OutboxMessage(
                                    seq,
                                    java.util.UUID.randomUUID().toString(),
                                    SaleChange.MESSAGE_TYPE,
                                    "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                    java.time.Instant.now())));

            java.util.concurrent.CompletableFuture<Long> restart =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return branch.outbox().restartAfter();
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            assertThatThrownBy(() -> restart.get(500, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .as("the restart point is not read while a writer holds a number it has not committed")
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            writer.commit();

            assertThat(restart.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .as("sending starts again after change 1")
                    .isEqualTo(1);
        }
    }

    @Test
    void onlyOneRelayPerBranchSendsTheOutbox() {
        BranchOffice first = open(config(sandbox.broker())).startRelay();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> first.relay().status().broker() == BrokerState.CONNECTED);

        BranchOffice second = open(config(sandbox.broker())).startRelay();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> second.relay().status().broker() == BrokerState.STANDBY);
        first.close();
        toClose.remove(first);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> second.relay().status().broker() == BrokerState.CONNECTED);
    }

    @Test
    void theConfirmedMarkStopsBelowTheFirstUnconfirmedRowAndTheBacklogCountsWhatIsAbove() throws Exception {
        BranchOffice branch = open(config(sandbox.broker()));
        for (int i = 0; i < 6; i++) {
            branch.saleService().create(input("North", "Item " + i, 1, "1.00"));
        }
        OutboxRepository outbox = branch.outbox();
        java.time.Instant now = java.time.Instant.now();

        outbox.markPublished(List.of(1L, 2L, 4L, 5L), now); // 3 was not confirmed (a nack, say)
        assertThat(mark()).isEqualTo(2);
        assertThat(outbox.backlog()).as("3 and 6").isEqualTo(2);
        assertThat(outbox.restartAfter()).isEqualTo(2);

        outbox.markPublished(List.of(3L), now);
        assertThat(mark()).as("up to the highest confirmed in that call").isEqualTo(3);
        assertThat(outbox.backlog()).isEqualTo(1);
        assertThat(outbox.restartAfter()).as("4 and 5 were confirmed before").isEqualTo(5);

        outbox.markPublished(List.of(6L), now);
        assertThat(mark()).isEqualTo(6);
        assertThat(outbox.backlog()).isZero();
        assertThat(outbox.restartAfter()).isEqualTo(6);
        assertThat(sandbox.count("bo1", "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL"))
                .isZero();
    }

    private long mark() {
        return sandbox.count("bo1", "SELECT through_seq FROM outbox_published WHERE id = 1");
    }

    @Test
    void confirmedRowsOlderThanTheRetentionArePrunedWhileUnsentOnesAreKept() throws Exception {
        BranchOffice branch = open(config(sandbox.broker()));
        Sale old = branch.saleService().create(input("North", "Old", 1, "1.00"));
        branch.saleService().create(input("North", "Recent", 1, "1.00"));
        Sale unsent = branch.saleService().create(input("North", "Unsent", 1, "1.00"));
        branch.saleService().create(input("North", "Above", 1, "1.00"));
        age("UPDATE outbox SET published_at = NOW(3) - INTERVAL 10 DAY WHERE seq = 1");
        age("UPDATE outbox SET published_at = NOW(3) - INTERVAL 1 DAY WHERE seq = 2");
        age("UPDATE outbox SET created_at = NOW(3) - INTERVAL 30 DAY WHERE seq = 3");
        // Confirmed out of order above the unsent one: kept, or the relay would find a hole there.
        age("UPDATE outbox SET published_at = NOW(3) - INTERVAL 10 DAY WHERE seq = 4");
        age("UPDATE outbox_published SET through_seq = 2");

        int deleted =
                branch.outbox().prunePublishedBefore(java.time.Instant.now().minus(Duration.ofDays(7)), 100);

        assertThat(deleted).isEqualTo(1);
        assertThat(sandbox.count("bo1", "SELECT COUNT(*) FROM outbox WHERE seq IN (2, 3, 4)"))
                .isEqualTo(3);
        assertThat(branch.sales().listLiveWithOutboxState(10))
                .satisfiesOnlyOnce(row -> {
                    assertThat(row.sale().id()).isEqualTo(old.id());
                    assertThat(row.published()).as("a pruned row was confirmed").isTrue();
                })
                .satisfiesOnlyOnce(row -> {
                    assertThat(row.sale().id()).isEqualTo(unsent.id());
                    assertThat(row.published()).isFalse();
                });
    }

    @Test
    void theRelayPrunesConfirmedRowsPastTheConfiguredRetention() throws Exception {
        BranchOffice first = open(config(sandbox.broker())).startRelay();
        first.saleService().create(input("North", "Paper", 1, "1.00"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> first.relay().status().lastConfirmedSeq() == 1);
        first.close();
        toClose.remove(first);
        age("UPDATE outbox SET published_at = NOW(3) - INTERVAL 2 HOUR");

        Map<String, String> values = new HashMap<>(BranchConfig.defaults("bo1"));
        values.putAll(sandbox.database("bo1"));
        values.putAll(sandbox.broker());
        values.put(RelaySettings.OUTBOX_RETENTION_HOURS, "1");
        values.put(BranchConfig.CHECKPOINT_INTERVAL_S, "0");
        open(BranchConfig.from(ConfigSource.of(values))).startRelay();

        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.count("bo1", "SELECT COUNT(*) FROM outbox") == 0);
        assertThat(sandbox.count("bo1", "SELECT COUNT(*) FROM sale")).isEqualTo(1);
    }

    private void age(String sql) throws java.sql.SQLException {
        try (java.sql.Connection connection = sandbox.dataSource("bo1").getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    /** Sequence numbers in the order they first appear in the queue (resends may repeat some). */
    private List<Long> drainSequenceNumbers() throws Exception {
        Channel channel = sandbox.channel();
        SaleChangeCodec codec = new SaleChangeCodec();
        List<Long> firstSeen = new ArrayList<>();
        for (Delivery message : QueueReader.drain(channel, sandbox.topology().salesQueue())) {
            long seq = codec.decodeMessage(message.getBody()).seq();
            if (!firstSeen.contains(seq)) {
                firstSeen.add(seq);
            }
        }
        return firstSeen;
    }

    private static List<Long> range(long from, long toExclusive) {
        List<Long> values = new ArrayList<>();
        for (long i = from; i < toExclusive; i++) {
            values.add(i);
        }
        return values;
    }

    private static int port(java.net.URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : 5672;
    }

    private BranchOffice open(BranchConfig config) {
        BranchOffice branch = BranchOffice.open(config, status -> {});
        toClose.add(branch);
        return branch;
    }

    private BranchConfig config(Map<String, String> broker) {
        Map<String, String> values = new HashMap<>(BranchConfig.defaults("bo1"));
        values.putAll(sandbox.database("bo1"));
        values.putAll(broker);
        values.put(RelaySettings.IDLE_POLL_MS, "100");
        // no checkpoints of its own: these tests count what the outbox holds
        values.put(BranchConfig.CHECKPOINT_INTERVAL_S, "0");
        values.put(RelaySettings.CONFIRM_TIMEOUT_MS, "3000");
        return BranchConfig.from(ConfigSource.of(values));
    }

    private static SaleInput input(String region, String product, int qty, String cost) {
        return new SaleInput(LocalDate.of(2026, 11, 26), region, product, qty, new BigDecimal(cost));
    }
}
