package io.salesync.headoffice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.common.testing.Sandbox;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.persistence.SalesQueries;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The summaries the window reads its totals from always equal the sums over the live sales. */
class DailySummaryIT {

    private static final TaxRate RATE = TaxRate.of("0.08");

    private final Sandbox sandbox = new Sandbox();
    private HeadOffice headOffice;

    @AfterEach
    void tearDown() {
        if (headOffice != null) {
            headOffice.close();
        }
        sandbox.close();
    }

    // a batch of up to 100 locks both branches' sales with one query, a larger one with one query per branch
    @ParameterizedTest(name = "batches of up to {0}")
    @CsvSource({"20, 100", "400, 800"})
    void correctionsMovesDeletesDuplicatesAndReorderingKeepTheSummaryExact(String batchSize, String prefetch)
            throws Exception {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(sandbox.database("ho"));
        values.putAll(sandbox.broker());
        values.put(HeadOfficeConfig.BATCH_SIZE, batchSize);
        values.put(HeadOfficeConfig.PREFETCH, prefetch);
        Random random = new Random(11);
        List<SaleChange> changes = new ArrayList<>();
        Map<String, Long> seq = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            String branch = i % 2 == 0 ? "bo1" : "bo2";
            Sale sale = Sale.create(UUID.randomUUID(), branch, input(random), RATE);
            changes.add(SaleChange.of(seq.merge(branch, 1L, Long::sum), Instant.now(), sale));
            if (i % 3 == 0) {
                sale = sale.revise(input(random), RATE); // a correction, often to another day or region
                changes.add(SaleChange.of(seq.merge(branch, 1L, Long::sum), Instant.now(), sale));
            }
            if (i % 5 == 0) {
                sale = sale.markDeleted();
                changes.add(SaleChange.of(seq.merge(branch, 1L, Long::sum), Instant.now(), sale));
            }
        }
        List<SaleChange> delivered = new ArrayList<>(changes);
        delivered.addAll(changes.subList(0, 30));
        Collections.shuffle(delivered, random);
        publish(delivered);

        // everything is queued before the consumer starts, so that batches fill up to their size
        headOffice = HeadOffice.open(HeadOfficeConfig.from(ConfigSource.of(values)), status -> {})
                .startConsumer();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> headOffice.consumer().status().appliedChanges() == delivered.size());

        List<String> recomputed = DailySummary.recomputed(sandbox.dataSource("ho"));
        assertThat(recomputed).isNotEmpty();
        assertThat(DailySummary.stored(sandbox.dataSource("ho"))).isEqualTo(recomputed);
    }

    /**
     * A branch goes to the lane that is free when the head office first hears from it, so after a
     * restart its corrections and deletes can be applied by another lane than its sales were: the
     * lines over all branches go negative in one lane and stay positive in the other, and only their
     * sum is right.
     */
    @Test
    void branchesAppliedByOtherLanesAfterARestartKeepTheSummaryOverAllBranchesExact() throws Exception {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(sandbox.database("ho"));
        values.putAll(sandbox.broker());
        values.put(HeadOfficeConfig.APPLIERS, "2");
        Random random = new Random(5);
        Map<String, Long> seq = new HashMap<>();
        Map<String, List<Sale>> sales = new HashMap<>();
        List<SaleChange> first = new ArrayList<>();
        for (String branch : List.of("bo1", "bo2")) { // bo1 is heard first: lane 1, bo2 lane 2
            for (int i = 0; i < 20; i++) {
                Sale sale = Sale.create(UUID.randomUUID(), branch, input(random), RATE);
                sales.computeIfAbsent(branch, b -> new ArrayList<>()).add(sale);
                first.add(SaleChange.of(seq.merge(branch, 1L, Long::sum), Instant.now(), sale));
            }
        }
        List<SaleChange> second = new ArrayList<>();
        for (String branch : List.of("bo2", "bo1")) { // after the restart bo2 is heard first: lanes swap
            for (Sale sale : sales.get(branch)) {
                Sale changed = random.nextBoolean() ? sale.markDeleted() : sale.revise(input(random), RATE);
                second.add(SaleChange.of(seq.merge(branch, 1L, Long::sum), Instant.now(), changed));
            }
        }
        publish(first);
        headOffice = HeadOffice.open(HeadOfficeConfig.from(ConfigSource.of(values)), status -> {})
                .startConsumer();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> headOffice.consumer().status().appliedChanges() == first.size());
        headOffice.close();
        headOffice = null;

        publish(second);
        headOffice = HeadOffice.open(HeadOfficeConfig.from(ConfigSource.of(values)), status -> {})
                .startConsumer();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> headOffice.consumer().status().appliedChanges() == second.size());

        assertThat(sandbox.count("ho", "SELECT COUNT(*) FROM sale_daily_all WHERE sales < 0"))
                .as("a lane took away sales another lane had added")
                .isPositive();
        List<String> recomputed = DailySummary.recomputed(sandbox.dataSource("ho"));
        assertThat(recomputed).isNotEmpty();
        assertThat(DailySummary.stored(sandbox.dataSource("ho"))).isEqualTo(recomputed);
        // what the window reads over all branches: the sums over the lanes, days without live sales left out
        try (Connection connection = sandbox.dataSource("ho").getConnection()) {
            SalesQueries queries = new SalesQueries();
            assertThat(queries.totals(connection, SalesFilter.ALL).count())
                    .isEqualTo(sandbox.count("ho", "SELECT COUNT(*) FROM sale WHERE deleted = 0"));
            assertThat(queries.dailySums(connection, SalesFilter.ALL))
                    .extracting(d -> d.date() + " " + d.total())
                    .containsExactlyElementsOf(DailySummary.column(
                            sandbox.dataSource("ho"),
                            "SELECT CONCAT(sale_date, ' ', SUM(total)) FROM sale WHERE deleted = 0"
                                    + " GROUP BY sale_date ORDER BY sale_date"));
            assertThat(queries.regions(connection))
                    .isEqualTo(DailySummary.column(
                            sandbox.dataSource("ho"),
                            "SELECT DISTINCT region FROM sale WHERE deleted = 0 ORDER BY region"));
        }
    }

    private void publish(List<SaleChange> changes) throws Exception {
        SaleChangeCodec codec = new SaleChangeCodec();
        try (Channel channel = sandbox.channel()) {
            channel.confirmSelect(); // closing a channel may drop what it has not handed to a quorum queue yet
            for (SaleChange change : changes) {
                channel.basicPublish(
                        sandbox.topology().salesExchange(),
                        "sales." + change.branchId(),
                        true,
                        new AMQP.BasicProperties.Builder()
                                .deliveryMode(2)
                                .messageId(change.messageId())
                                .userId(sandbox.amqp().user())
                                .build(),
                        codec.encode(change));
            }
            channel.waitForConfirmsOrDie(20_000);
        }
    }

    private static SaleInput input(Random random) {
        return new SaleInput(
                LocalDate.of(2026, 11, 20 + random.nextInt(3)),
                random.nextBoolean() ? "North" : "South",
                "Item",
                1 + random.nextInt(9),
                new BigDecimal(random.nextInt(2000) + 1).movePointLeft(2));
    }
}
