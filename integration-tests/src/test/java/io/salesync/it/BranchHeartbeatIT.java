package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.config.RelaySettings;
import io.salesync.common.cli.Commands;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.BranchHeartbeat;
import io.salesync.common.sale.SaleInput;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.cli.HeadOfficeCommand;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.Health;
import io.salesync.headoffice.service.BranchHealthService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Branch heartbeats end to end, against real MariaDB and RabbitMQ: real relays send them every
 * second, the head office (silent after 4 s) records them and judges each branch from them.
 */
class BranchHeartbeatIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Lab lab;
    private HeadOffice headOffice;
    private BranchHealthService health;

    @BeforeEach
    void setUp() {
        // no checkpoints: they take sequence numbers of their own, which one test makes go missing on purpose
        lab = new Lab()
                .with(RelaySettings.HEARTBEAT_S, "1")
                .with(HeadOfficeConfig.SILENT_AFTER_S, "4")
                .with(BranchConfig.CHECKPOINT_INTERVAL_S, "0");
        headOffice = lab.headOffice();
        health = headOffice.services().health();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void anIdleBranchStaysHealthyWhileAnotherSellsAndTurnsSilentWhenItsRelayStops() throws Exception {
        BranchOffice idle = lab.branch("bo1");
        BranchOffice selling = lab.branch("bo2");
        await().atMost(WAIT)
                .until(() -> health("bo1").map(BranchHealth::lastHeartbeatAt).isPresent());

        // longer than the head office waits before it calls a branch silent, bo2 selling all along
        Instant until = Instant.now().plusSeconds(6);
        int sold = 0;
        while (Instant.now().isBefore(until)) {
            selling.saleService().create(input("South", "Stapler", 1, "8.99"));
            sold++;
            Thread.sleep(200);
        }
        int expected = sold;
        await().atMost(WAIT).until(() -> lab.liveAtHeadOffice("bo2") == expected);

        BranchHealth bo1 = health("bo1").orElseThrow();
        assertThat(bo1.health()).as(bo1.why()).isEqualTo(Health.HEALTHY);
        assertThat(bo1.lastAppliedAt()).as("bo1 sold nothing").isNull();
        assertThat(bo1.why()).startsWith("Up to date; heartbeat ");
        assertThat(lab.liveAtHeadOffice("bo1"))
                .as("a heartbeat is never applied as a sale")
                .isZero();
        assertThat(health("bo2").orElseThrow().health()).isEqualTo(Health.HEALTHY);
        assertThat(lab.sandbox().count("ho", "SELECT COUNT(*) FROM branch_heartbeat"))
                .as("one row per branch, however many heartbeats")
                .isEqualTo(2);

        Instant stopped = Instant.now();
        idle.close();
        await().atMost(WAIT).until(() -> health("bo1").orElseThrow().health() == Health.SILENT);
        assertThat(Duration.between(stopped, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(health("bo1").orElseThrow().why()).startsWith("No heartbeat and no change for ");
        assertThat(health("bo2").orElseThrow().health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void aBranchWhoseReportedBacklogIsNotAppliedIsLagging() throws Exception {
        BranchOffice branch = lab.branch("bo3");
        branch.saleService().create(input("North", "Paper", 3, "2.50"));
        await().atMost(WAIT)
                .until(() -> health("bo3")
                        .filter(h -> h.health() == Health.HEALTHY && h.reportedSeq() >= 1 && h.lastSeq() >= 1)
                        .isPresent());

        // five changes the branch counts as written that will never reach the head office
        try (Connection connection = lab.sandbox().dataSource("bo3").getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE outbox_sequence SET next_seq = next_seq + 5 WHERE id = 1");
        }

        await().atMost(WAIT).until(() -> health("bo3").orElseThrow().health() == Health.LAGGING);
        BranchHealth bo3 = health("bo3").orElseThrow();
        long applied = bo3.lastSeq();
        assertThat(bo3.why())
                .isEqualTo("5 change(s) behind: the branch wrote up to no. " + (applied + 5)
                        + ", applied here up to no. " + applied + ".");
        assertThat(bo3.reportedSeq()).isEqualTo(applied + 5);
    }

    @Test
    void aMalformedHeartbeatIsDeadLetteredAndSalesKeepFlowing() throws Exception {
        BranchOffice branch = lab.branch("bo4");
        await().atMost(WAIT)
                .until(() -> health("bo4").map(BranchHealth::lastHeartbeatAt).isPresent());
        String body = """
                {"schemaVersion":1,"type":"branch.heartbeat","branchId":"bo4","sentAt":"2026-11-26T12:00:00Z",\
                "lastSeq":3,"unconfirmed":9,"intervalSeconds":30}""";
        Channel channel = lab.sandbox().channel();
        channel.basicPublish(
                lab.sandbox().topology().salesExchange(),
                "sales.bo4",
                new AMQP.BasicProperties.Builder()
                        .type(BranchHeartbeat.MESSAGE_TYPE)
                        .contentType(SaleChangeCodec.CONTENT_TYPE)
                        .messageId("bo4:heartbeat:bad")
                        .userId(lab.headOfficeConfig().broker().user())
                        .build(),
                body.getBytes(StandardCharsets.UTF_8));

        branch.saleService().create(input("West", "Desk", 1, "100.00"));

        await().atMost(WAIT)
                .until(() -> lab.sandbox()
                                .count(
                                        "ho",
                                        "SELECT COUNT(*) FROM dead_letter_log WHERE message_id = 'bo4:heartbeat:bad'"
                                                + " AND reason LIKE '%unconfirmed%'")
                        == 1);
        await().atMost(WAIT).until(() -> lab.liveAtHeadOffice("bo4") == 1);
        assertThat(health("bo4").orElseThrow().health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void statusProblemsPrintsTheSummaryAndOnlyTheBranchesThatNeedAttention() throws Exception {
        BranchOffice quiet = lab.branch("bo5");
        lab.branch("bo6");
        await().atMost(WAIT)
                .until(() -> health("bo5").map(BranchHealth::lastHeartbeatAt).isPresent()
                        && health("bo6").map(BranchHealth::lastHeartbeatAt).isPresent());
        quiet.close();
        await().atMost(WAIT).until(() -> health("bo5").orElseThrow().health() == Health.SILENT);

        StringWriter out = new StringWriter();
        int status = Commands.execute(
                new HeadOfficeCommand(),
                new String[] {
                    "status",
                    "--problems",
                    "--config",
                    lab.configDir().resolve("head-office.properties").toString()
                },
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));

        assertThat(status).isEqualTo(1);
        assertThat(out.toString().lines().toList()).first().isEqualTo("Branches: 1 healthy, 1 silent");
        assertThat(out.toString()).contains("bo5").doesNotContain("bo6");
    }

    private Optional<BranchHealth> health(String branchId) {
        Map<String, BranchHealth> all =
                health.branches().stream().collect(Collectors.toMap(BranchHealth::branchId, Function.identity()));
        return Optional.ofNullable(all.get(branchId));
    }

    private static SaleInput input(String region, String product, int qty, String cost) {
        return new SaleInput(LocalDate.of(2026, 11, 26), region, product, qty, new BigDecimal(cost));
    }
}
