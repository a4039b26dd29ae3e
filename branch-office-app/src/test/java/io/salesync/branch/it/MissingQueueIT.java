package io.salesync.branch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.config.RelaySettings;
import io.salesync.common.codec.MessageFormatException;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.event.BranchHeartbeat;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.testing.Sandbox;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import javax.sql.DataSource;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The head office's queue is missing (it never ran, or someone deleted it) while a branch writes:
 * every change comes back unroutable, so none may be marked sent, and the relay must go on
 * retrying until the queue exists again, then deliver every change. Also: rows that the outbox
 * holds as confirmed above the first unconfirmed one never stop the relay.
 */
class MissingQueueIT {

    private Sandbox sandbox;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private DataSource branchDatabase;

    @BeforeEach
    void setUp() {
        sandbox = new Sandbox();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        sandbox.close();
    }

    @Test
    void nothingIsMarkedSentWhileTheQueueIsMissingAndEveryChangeArrivesOnceItExists() throws Exception {
        Channel admin = sandbox.channel();
        admin.queueDelete(sandbox.topology().salesQueue());
        BranchOffice branch = open().startRelay();

        // Many small imports over a while: the relay sends, gets its messages back unroutable,
        // drops its channel and starts again, again and again, while confirms keep arriving.
        long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
        int sales = 0;
        while (System.nanoTime() < deadline) {
            List<SaleInput> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(input("Item " + sales++));
            }
            branch.saleService().createAll(batch);
            assertThat(markedRows())
                    .as("rows marked sent while no queue can take them")
                    .isEmpty();
            Thread.sleep(100);
        }
        assertThat(markedRows())
                .as("rows marked sent while no queue can take them")
                .isEmpty();
        assertThat(branch.relay().status().brokerDetail())
                .as("the branch says why nothing leaves")
                .contains(sandbox.topology().salesQueue());

        sandbox.topology().declare(admin);
        long last = branch.outbox().lastSeq();
        assertThat(last).isEqualTo(sales);

        assertThat(receivedUpTo(last)).as("every change reached the queue").containsExactlyElementsOf(range(1, last));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> branch.relay().status().backlog() == 0);
    }

    @Test
    void rowsAlreadyConfirmedAboveTheFirstUnconfirmedOneDoNotStopTheRelay() throws Exception {
        BranchOffice branch = open();
        for (int i = 0; i < 10; i++) {
            branch.saleService().create(input("Item " + i));
        }
        // Change 4 reached a queue and was confirmed, changes 1-3 and 5-10 were not (the queue was
        // declared again between two messages of one window, say).
        branch.outbox().markPublished(List.of(4L), java.time.Instant.now());

        branch.startRelay();

        assertThat(receivedUpTo(10)).containsExactlyElementsOf(range(1, 10));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> branch.relay().status().backlog() == 0);
    }

    private TreeSet<Long> markedRows() throws Exception {
        if (branchDatabase == null) {
            branchDatabase = sandbox.dataSource("bo1");
        }
        TreeSet<Long> marked = new TreeSet<>();
        try (Connection connection = branchDatabase.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT seq FROM outbox WHERE published_at IS NOT NULL")) {
            while (rs.next()) {
                marked.add(rs.getLong(1));
            }
        }
        return marked;
    }

    /** Distinct sequence numbers that reach the queue, once all of {@code 1..last} have (or 60 s passed). */
    private Set<Long> receivedUpTo(long last) throws Exception {
        Channel channel = sandbox.channel();
        SaleChangeCodec codec = new SaleChangeCodec();
        Set<Long> seen = new ConcurrentSkipListSet<>();
        channel.basicQos(1000);
        String tag = channel.basicConsume(
                sandbox.topology().salesQueue(),
                true,
                (consumerTag, message) -> {
                    if (BranchHeartbeat.MESSAGE_TYPE.equals(
                            message.getProperties().getType())) {
                        return;
                    }
                    try {
                        seen.add(codec.decodeMessage(message.getBody()).seq());
                    } catch (MessageFormatException e) {
                        throw new IllegalStateException(e);
                    }
                },
                consumerTag -> {});
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= last);
        } catch (ConditionTimeoutException e) {
            // the assertion on the set says what is missing
        }
        channel.basicCancel(tag);
        return new TreeSet<>(seen);
    }

    private static List<Long> range(long from, long toInclusive) {
        List<Long> values = new ArrayList<>();
        for (long i = from; i <= toInclusive; i++) {
            values.add(i);
        }
        return values;
    }

    private BranchOffice open() {
        Map<String, String> values = new HashMap<>(BranchConfig.defaults("bo1"));
        values.putAll(sandbox.database("bo1"));
        values.putAll(sandbox.broker());
        values.put(RelaySettings.IDLE_POLL_MS, "100");
        values.put(BranchConfig.CHECKPOINT_INTERVAL_S, "0");
        values.put(RelaySettings.CONFIRM_TIMEOUT_MS, "3000");
        BranchOffice branch = BranchOffice.open(BranchConfig.from(ConfigSource.of(values)), status -> {});
        toClose.add(branch);
        return branch;
    }

    private static SaleInput input(String product) {
        return new SaleInput(LocalDate.of(2026, 11, 26), "North", product, 1, new BigDecimal("1.00"));
    }
}
