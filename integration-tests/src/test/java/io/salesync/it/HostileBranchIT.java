package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.config.RelaySettings;
import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.db.SaleChecksum;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.BranchCommand;
import io.salesync.common.event.ResyncMarker;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.testing.BrokerUsers;
import io.salesync.common.testing.Sandbox;
import io.salesync.common.testing.ShippedPermissions;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.model.Verification;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A branch that is authenticated but hostile: its broker user is real, with the permissions that
 * ship in rabbitmq/definitions.json, and besides its own relay it publishes well-formed messages
 * built to break the head office: numbers with enormous exponents, figures beyond their columns,
 * sequence numbers and versions near 2^63, scattered sequence numbers by the hundred, a value the
 * database refuses, a resync nobody asked for, bodies over the limit, and the malformed classes.
 *
 * <p>After each attack: the head office still applies the honest branch's changes, that branch's
 * rows at the head office are exactly its own, and a resync of the hostile branch (asked for as the
 * operator asks) makes its rows at the head office exactly its own again, versions and tombstones
 * included, with its sequence state starting afresh and the resync's checkpoint matched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileBranchIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate DAY = LocalDate.of(2026, 11, 26);
    /** The head office's database refuses this product (a CHECK added by the test): it passes every check before. */
    private static final String REFUSED_BY_THE_DATABASE = "Refused by the database";

    /** What a hostile branch does, given the test's means. */
    @FunctionalInterface
    interface Attack {
        void run(HostileBranchIT test) throws Exception;
    }

    private final SaleChangeCodec codec = new SaleChangeCodec();
    private Sandbox sandbox;
    private BrokerUsers users;
    private HeadOffice headOffice;
    private String honestId;
    private String hostileId;
    private BranchOffice honest;
    private BranchOffice hostile;
    private Connection hostileConnection;
    private Channel hostileChannel;
    private int honestSales;
    private final Map<String, javax.sql.DataSource> pools = new HashMap<>();

    @BeforeAll
    void startHeadOfficeAndTwoBranches() throws Exception {
        sandbox = new Sandbox();
        users = new BrokerUsers(sandbox.amqp());
        honestId = sandbox.prefix() + "-good";
        hostileId = sandbox.prefix() + "-evil";
        for (String id : List.of(honestId, hostileId)) {
            users.create(id, "pw-" + id);
            users.permit(id, ShippedPermissions.branch(sandbox.prefix(), id));
        }
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(sandbox.database("ho"));
        values.putAll(sandbox.broker());
        values.put(HeadOfficeConfig.BATCH_SIZE, "200");
        headOffice = HeadOffice.open(HeadOfficeConfig.from(ConfigSource.of(values)), status -> {})
                .startConsumer();
        try (var connection = pools.computeIfAbsent("ho", sandbox::dataSource).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE sale ADD CONSTRAINT test_refused_product CHECK (product <> '"
                    + REFUSED_BY_THE_DATABASE + "')");
        }
        honest = branch(honestId);
        hostile = branch(hostileId);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(sandbox.amqp().uri());
        factory.setUsername(hostileId);
        factory.setPassword("pw-" + hostileId);
        hostileConnection = factory.newConnection("hostile-branch");
        hostileChannel = hostileConnection.createChannel();
        hostileChannel.confirmSelect();
        for (int i = 0; i < 20; i++) {
            hostile.saleService().create(input("Hostile's own " + i, 1 + i));
        }
        await().atMost(WAIT)
                .until(() -> contiguous(hostileId) == hostile.outbox().lastSeq());
    }

    @AfterAll
    void stop() throws Exception {
        if (hostileConnection != null) {
            hostileConnection.close();
        }
        for (AutoCloseable part : new AutoCloseable[] {honest, hostile, headOffice, users, sandbox}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void aHostileBranchStopsNoOtherBranchTouchesNoOtherRowAndAResyncRepairsIt(String name, Attack attack)
            throws Exception {
        attack.run(this);
        // Its own clerk goes on too: these changes take numbers the attack may have used.
        for (int i = 0; i < 3; i++) {
            hostile.saleService().create(input("After " + name + " " + i, 2));
        }

        Sale honestSale = honest.saleService().create(input("Honest " + ++honestSales, 3));
        await().atMost(WAIT)
                .until(() -> sandbox.count(
                                "ho",
                                "SELECT COUNT(*) FROM sale WHERE branch_id = ? AND sale_id = ?",
                                honestId,
                                honestSale.id().toString())
                        == 1);
        assertThat(rowsAtHeadOffice(honestId))
                .as("the honest branch's rows at the head office")
                .containsExactlyInAnyOrderElementsOf(rowsAtBranch(honestId));
        assertThat(headOffice.consumer().status().databaseProblem()).isNull();

        UUID resync = UUID.randomUUID();
        headOffice
                .requests()
                .send(new BranchCommand(
                        hostileId, BranchCommand.Action.RESYNC, resync, Instant.now(), "hostile branch test", 0));
        await().atMost(WAIT)
                .until(() -> verification(hostileId)
                        .filter(v -> v.resync() != null
                                && v.resync().id().equals(resync.toString())
                                && !v.resync().running())
                        .filter(v -> v.checkpoint() != null
                                && "resync".equals(v.checkpoint().trigger()))
                        .isPresent());
        Verification repaired = verification(hostileId).orElseThrow();
        assertThat(repaired.checkpoint().matched())
                .as("the resync's checkpoint: %s", repaired.checkpoint().verdict())
                .isTrue();
        assertThat(repaired.hasGap()).isFalse();
        assertThat(repaired.contiguousSeq()).isEqualTo(hostile.outbox().lastSeq());
        assertThat(rowsAtHeadOffice(hostileId))
                .as("the hostile branch's rows after its resync")
                .containsExactlyInAnyOrderElementsOf(rowsAtBranch(hostileId));
        assertThat(rowsAtHeadOffice(honestId)).containsExactlyInAnyOrderElementsOf(rowsAtBranch(honestId));
        assertThat(dailySummary(hostileId))
                .as("the daily summary of the hostile branch")
                .isEqualTo(recomputedDaily(hostileId));
    }

    Stream<Arguments> attacks() {
        return Stream.of(
                arguments("a checksum with an enormous exponent", (Attack) test -> test.publishCheckpoint(node -> {
                    node.put("rows", 5);
                    node.put("checksum", "1E+99999999");
                })),
                arguments("a checksum beyond its column", (Attack) test -> test.publishCheckpoint(node -> {
                    node.put("rows", 5);
                    node.put("checksum", "9".repeat(31));
                })),
                arguments("a money amount with an enormous exponent", (Attack) test ->
                        test.publishSale(test.nextSeq(), 1, node -> sale(node).put("cost", "1E+99999999"))),
                arguments("a sequence number near 2^63", (Attack)
                        test -> test.publishSale(Long.MAX_VALUE - 7, 1, node -> {})),
                arguments("a version near 2^63", (Attack)
                        test -> test.publishSale(test.nextSeq(), Long.MAX_VALUE - 7, node -> {})),
                arguments("a sequence number far ahead of what the head office holds", (Attack)
                        test -> test.publishSale(test.nextSeq() + 50_000_000L, 1, node -> {})),
                arguments("a version as high as its own far sequence number, on a real sale", (Attack) test -> {
                    Sale own = test.hostile.saleService().create(test.input("Target", 1));
                    await().atMost(WAIT)
                            .until(() -> test.contiguous(test.hostileId)
                                    == test.hostile.outbox().lastSeq());
                    long seq = test.nextSeq() + 5_000_000L;
                    test.publish(test.codec.encode(SaleChange.of(seq, Instant.now(), test.atVersion(own, seq))));
                    test.hostile.saleService().update(own.id(), 1, test.input("Target corrected", 2));
                }),
                arguments("hundreds of scattered sequence numbers", (Attack) test -> {
                    long from = test.nextSeq();
                    for (int i = 0; i < 300; i++) {
                        test.publishSale(from + 1 + 2L * i, 1, node -> {});
                    }
                }),
                arguments("an update of a sale that never existed", (Attack) test -> test.publishSale(
                        test.nextSeq(),
                        3,
                        node -> sale(node).put("id", UUID.randomUUID().toString()))),
                arguments("the other branch's sale ids", (Attack) test -> {
                    Sale theirs = test.honest.saleService().create(test.input("Honest target", 4));
                    Sale forged = new Sale(
                            theirs.id(),
                            test.hostileId,
                            theirs.date(),
                            theirs.region(),
                            theirs.product(),
                            theirs.qty(),
                            theirs.cost(),
                            theirs.amt(),
                            theirs.tax(),
                            theirs.total(),
                            2,
                            true);
                    test.publish(test.codec.encode(SaleChange.of(test.nextSeq(), Instant.now(), forged)));
                }),
                arguments("a value the head office's database refuses, among good ones", (Attack) test -> {
                    long seq = test.nextSeq();
                    test.publishSale(seq, 1, node -> sale(node).put("product", "Before it"));
                    test.publishSale(seq + 1, 1, node -> sale(node).put("product", REFUSED_BY_THE_DATABASE));
                    test.publishSale(seq + 2, 1, node -> sale(node).put("product", "After it"));
                    for (int i = 0; i < 30; i++) {
                        test.honest.saleService().create(test.input("Honest beside it " + i, 1));
                    }
                }),
                arguments("a resync the head office never asked for", (Attack)
                        test -> test.publish(test.codec.encode(new ResyncMarker(
                                test.hostileId,
                                test.nextSeq(),
                                Instant.now(),
                                UUID.randomUUID(),
                                ResyncMarker.Phase.STARTED,
                                0)))),
                arguments("a resync finish without its start", (Attack)
                        test -> test.publish(test.codec.encode(new ResyncMarker(
                                test.hostileId,
                                test.nextSeq(),
                                Instant.now(),
                                UUID.randomUUID(),
                                ResyncMarker.Phase.FINISHED,
                                0)))),
                arguments("a checkpoint claiming more rows than changes", (Attack)
                        test -> test.publishCheckpoint(node -> node.put("rows", 1_000_000_000L))),
                arguments("a body over the limit", (Attack) test ->
                        test.publishSale(test.nextSeq(), 1, node -> node.put("padding", "x".repeat(100_000)))),
                arguments("a body that is not JSON", (Attack)
                        test -> test.publish("{\"seq\": 1, ".getBytes(StandardCharsets.UTF_8))),
                arguments("a body that claims the other branch", (Attack)
                        test -> test.publishSale(test.nextSeq(), 1, node -> node.put("branchId", test.honestId))),
                arguments("a total that is not Amt + Tax", (Attack) test ->
                        test.publishSale(test.nextSeq(), 1, node -> sale(node).put("total", "1000000.00"))));
    }

    // --- what the hostile branch sends ---------------------------------------------------------------

    /** The sequence number the hostile branch's own relay will use next. */
    private long nextSeq() throws Exception {
        return hostile.outbox().lastSeq() + 1;
    }

    private void publishSale(long seq, long version, java.util.function.Consumer<ObjectNode> change) throws Exception {
        Sale sale = Sale.create(
                UUID.randomUUID(), hostileId, input("Hostile", 1), io.salesync.common.sale.TaxRate.of("0.08"));
        SaleChange valid = SaleChange.of(
                Math.min(seq, io.salesync.common.event.BranchMessage.MAX_SEQ),
                Instant.now(),
                atVersion(sale, Math.max(1, Math.min(version, io.salesync.common.event.BranchMessage.MAX_SEQ))));
        ObjectNode node = (ObjectNode) JSON.readTree(codec.encode(valid));
        node.put("seq", seq);
        sale(node).put("version", version);
        change.accept(node);
        publish(JSON.writeValueAsBytes(node));
    }

    private void publishCheckpoint(java.util.function.Consumer<ObjectNode> change) throws Exception {
        BranchCheckpoint valid = new BranchCheckpoint(
                hostileId, nextSeq(), Instant.now(), new SaleChecksum.Figures(0, 0, BigDecimal.ZERO), "scheduled");
        ObjectNode node = (ObjectNode) JSON.readTree(codec.encode(valid));
        change.accept(node);
        publish(JSON.writeValueAsBytes(node));
    }

    private void publish(byte[] body) throws Exception {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType(SaleChangeCodec.CONTENT_TYPE)
                .messageId("hostile-" + UUID.randomUUID())
                .userId(hostileId)
                .build();
        hostileChannel.basicPublish(
                sandbox.topology().salesExchange(), Topology.routingKey(hostileId), true, properties, body);
        hostileChannel.waitForConfirmsOrDie(10_000);
    }

    private static ObjectNode sale(ObjectNode change) {
        return (ObjectNode) change.get("sale");
    }

    private Sale atVersion(Sale sale, long version) {
        return new Sale(
                sale.id(),
                sale.branchId(),
                sale.date(),
                sale.region(),
                sale.product(),
                sale.qty(),
                sale.cost(),
                sale.amt(),
                sale.tax(),
                sale.total(),
                version,
                sale.deleted());
    }

    private SaleInput input(String product, int qty) {
        return new SaleInput(DAY, "North", product, qty, new BigDecimal("2.50"));
    }

    // --- the parts ------------------------------------------------------------------------------------

    private BranchOffice branch(String id) {
        Map<String, String> values = new HashMap<>(BranchConfig.defaults(id));
        values.putAll(sandbox.database(id));
        values.putAll(sandbox.broker());
        values.put(BrokerSettings.USER, id);
        values.put(BrokerSettings.PASSWORD, "pw-" + id);
        values.put(RelaySettings.IDLE_POLL_MS, "100");
        values.put(BranchConfig.CHECKPOINT_INTERVAL_S, "0");
        return BranchOffice.open(BranchConfig.from(ConfigSource.of(values)), status -> {})
                .startRelay();
    }

    private Optional<Verification> verification(String branch) throws Exception {
        return headOffice.verification().verifications().stream()
                .filter(v -> v.branchId().equals(branch))
                .findFirst();
    }

    private long contiguous(String branch) throws Exception {
        return verification(branch).map(Verification::contiguousSeq).orElse(0L);
    }

    private static final String ROW =
            "CONCAT_WS('|', sale_id, version, deleted, sale_date, region, product, qty, cost, amt, tax, total)";

    private List<String> rowsAtHeadOffice(String branch) {
        return rows("ho", "SELECT " + ROW + " FROM sale WHERE branch_id = ?", branch);
    }

    private List<String> rowsAtBranch(String branch) {
        return rows(branch, "SELECT " + ROW + " FROM sale");
    }

    private List<String> dailySummary(String branch) {
        return rows(
                "ho",
                "SELECT CONCAT_WS('|', sale_date, region, sales, qty, amt, tax, total) FROM sale_daily"
                        + " WHERE branch_id = ? AND sales <> 0 ORDER BY sale_date, region",
                branch);
    }

    private List<String> recomputedDaily(String branch) {
        return rows(
                "ho",
                "SELECT CONCAT_WS('|', sale_date, region, COUNT(*), SUM(qty), CAST(SUM(amt) AS DECIMAL(30, 2)),"
                        + " CAST(SUM(tax) AS DECIMAL(30, 2)), CAST(SUM(total) AS DECIMAL(30, 2))) FROM sale"
                        + " WHERE branch_id = ? AND NOT deleted GROUP BY sale_date, region ORDER BY sale_date, region",
                branch);
    }

    private List<String> rows(String schema, String sql, Object... parameters) {
        try (var connection = pools.computeIfAbsent(schema, sandbox::dataSource).getConnection();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> rows = new ArrayList<>();
            try (var rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read " + schema, e);
        }
    }
}
