package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.salesync.branch.BranchOffice;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.BranchCommand;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.Health;
import io.salesync.headoffice.model.Verification;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints, gap detection and resync end to end: branch and head office in this JVM, requests
 * sent through the control exchange, real MariaDB and RabbitMQ.
 */
class VerificationIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Lab lab;

    @BeforeEach
    void setUp() {
        lab = new Lab();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aRequestedCheckpointMatchesWhenEverythingArrived() {
        HeadOffice headOffice = lab.headOffice();
        BranchOffice bo1 = lab.branch("bo1");
        write(bo1, 50);

        long asked = lastSeq(bo1);
        headOffice.requests().send(BranchCommand.of("bo1", BranchCommand.Action.CHECKPOINT, Instant.now(), "test"));

        Verification.Checkpoint checkpoint = awaitCheckpointAfter(headOffice, "bo1", asked);
        assertThat(checkpoint.matched()).isTrue();
        assertThat(checkpoint.trigger()).isEqualTo("requested");
        assertThat(checkpoint.atHeadOffice().rows()).isEqualTo(50);
        assertThat(checkpoint.missingChanges()).isZero();
    }

    @Test
    void aRestoredHeadOfficeIsSeenDivergedAndAResyncRepairsItWhileSalesKeepComing() throws Exception {
        HeadOffice headOffice = lab.headOffice();
        BranchOffice bo1 = lab.branch("bo1");
        List<Sale> sales = write(bo1, 300);
        bo1.saleService().delete(sales.get(0).id(), 1);
        awaitCheckpointAfter(headOffice, "bo1", 0);
        awaitApplied(headOffice, "bo1", lastSeq(bo1));

        // What a restore from an older dump looks like: rows gone, one row older, one row the branch never had.
        execute(
                "DELETE FROM sale WHERE branch_id = 'bo1' AND sale_id IN (?, ?)",
                sales.get(1).id().toString(),
                sales.get(2).id().toString());
        execute(
                "UPDATE sale SET version = 0, qty = 99 WHERE branch_id = 'bo1' AND sale_id = ?",
                sales.get(0).id().toString());
        execute(
                "INSERT INTO sale SELECT branch_id, ?, sale_date, region, product, qty, cost, amt, tax, total, version, deleted,"
                        + " 1, applied_at FROM sale WHERE branch_id = 'bo1' AND sale_id = ?",
                UUID.randomUUID().toString(),
                sales.get(3).id().toString());

        long before = lastSeq(bo1);
        headOffice.requests().send(BranchCommand.of("bo1", BranchCommand.Action.CHECKPOINT, Instant.now(), "test"));
        Verification.Checkpoint diverged = awaitCheckpointAfter(headOffice, "bo1", before);
        assertThat(diverged.matched()).isFalse();
        assertThat(diverged.verdict()).startsWith("diverged");
        assertThat(health(headOffice, "bo1").health()).isEqualTo(Health.DIVERGED);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread clerk = new Thread(
                () -> {
                    while (writing.get()) {
                        write(bo1, 1);
                        written.incrementAndGet();
                    }
                },
                "test-clerk");
        clerk.start();
        try {
            long resyncAsked = lastSeq(bo1);
            headOffice.requests().send(BranchCommand.of("bo1", BranchCommand.Action.RESYNC, Instant.now(), "test"));
            await().atMost(WAIT)
                    .until(() -> verification(headOffice, "bo1")
                            .map(Verification::resync)
                            .filter(r -> !r.running())
                            .isPresent());
            Verification.Checkpoint repaired = awaitCheckpointAfter(headOffice, "bo1", resyncAsked);
            assertThat(repaired.trigger()).isEqualTo("resync");
            assertThat(repaired.matched()).as(repaired.verdict()).isTrue();
        } finally {
            writing.set(false);
            clerk.join();
        }
        assertThat(written.get()).as("sales saved during the resync").isPositive();
        assertThat(verification(headOffice, "bo1").orElseThrow().resync().removed())
                .as("the row the branch never had")
                .isEqualTo(1);
        awaitApplied(headOffice, "bo1", lastSeq(bo1));
        assertThat(lab.rowsAtHeadOffice("bo1")).containsExactlyInAnyOrderElementsOf(lab.rowsAtBranch("bo1"));
    }

    @Test
    void aJumpInSequenceNumbersIsReportedUntilTheMissingChangesArrive() throws Exception {
        HeadOffice headOffice = lab.headOffice();
        SaleChangeCodec codec = new SaleChangeCodec();
        Channel channel = lab.sandbox().channel();
        publish(channel, codec, change(1));
        publish(channel, codec, change(2));
        publish(channel, codec, change(5));
        await().atMost(WAIT)
                .until(() -> verification(headOffice, "bo9")
                        .filter(Verification::hasGap)
                        .isPresent());
        Verification gap = verification(headOffice, "bo9").orElseThrow();
        assertThat(gap.contiguousSeq()).isEqualTo(2);
        assertThat(gap.firstMissing()).isEqualTo(3);
        // the lab's head office reports a gap after 1 s
        await().atMost(WAIT).until(() -> health(headOffice, "bo9").health() == Health.DIVERGED);
        assertThat(health(headOffice, "bo9").why()).contains("from no. 3 never arrived");

        publish(channel, codec, change(4));
        publish(channel, codec, change(3));
        await().atMost(WAIT)
                .until(() ->
                        verification(headOffice, "bo9").filter(v -> !v.hasGap()).isPresent());
        assertThat(verification(headOffice, "bo9").orElseThrow().contiguousSeq())
                .isEqualTo(5);
        assertThat(health(headOffice, "bo9").health()).isNotEqualTo(Health.DIVERGED);
    }

    private static SaleChange change(long seq) {
        Sale sale = Sale.create(
                UUID.randomUUID(),
                "bo9",
                new SaleInput(LocalDate.of(2026, 11, 1), "North", "Paper", 1, new BigDecimal("2.00")),
                new TaxRate(new BigDecimal("0.08")));
        return SaleChange.of(seq, Instant.now(), sale);
    }

    private void publish(Channel channel, SaleChangeCodec codec, SaleChange change) throws Exception {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType(SaleChangeCodec.CONTENT_TYPE)
                .type(SaleChange.MESSAGE_TYPE)
                .messageId(change.messageId())
                .userId(lab.sandbox().amqp().user())
                .build();
        channel.basicPublish(
                lab.sandbox().topology().salesExchange(),
                Topology.routingKey("bo9"),
                true,
                properties,
                codec.encode(change));
    }

    private static List<Sale> write(BranchOffice branch, int count) {
        try {
            return branch.saleService()
                    .createAll(java.util.Collections.nCopies(
                            count,
                            new SaleInput(LocalDate.of(2026, 11, 2), "North", "Paper", 2, new BigDecimal("1.25"))));
        } catch (io.salesync.common.sale.ValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long lastSeq(BranchOffice branch) {
        try {
            return branch.outbox().lastSeq();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String sql, Object... parameters) throws Exception {
        try (var connection = lab.sandbox().dataSource("ho").getConnection();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private static Verification.Checkpoint awaitCheckpointAfter(HeadOffice headOffice, String branch, long seq) {
        return await().atMost(WAIT)
                .until(
                        () -> verification(headOffice, branch)
                                .map(Verification::checkpoint)
                                .filter(c -> c.seq() > seq)
                                .orElse(null),
                        c -> c != null);
    }

    private static void awaitApplied(HeadOffice headOffice, String branch, long seq) {
        await().atMost(WAIT)
                .until(() -> verification(headOffice, branch)
                        .filter(v -> v.contiguousSeq() >= seq)
                        .isPresent());
    }

    private static Optional<Verification> verification(HeadOffice headOffice, String branch) throws Exception {
        return headOffice.verification().verifications().stream()
                .filter(v -> v.branchId().equals(branch))
                .findFirst();
    }

    private static BranchHealth health(HeadOffice headOffice, String branch) {
        return headOffice.services().health().branches().stream()
                .filter(b -> b.branchId().equals(branch))
                .findFirst()
                .orElseThrow();
    }
}
