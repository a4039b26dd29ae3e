package io.salesync.it.fault;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.zaxxer.hikari.HikariDataSource;
import io.salesync.common.amqp.Topology;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.service.SyncStatus;
import io.salesync.headoffice.service.SyncStatus.BranchReport;
import io.salesync.it.fault.RowComparator.Comparison;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What a run's databases and broker say: the branches' sequence numbers and confirms, what the
 * head office applied, dead letters, and the row-by-row comparison with its convergence clock.
 * Reads only; the head office is read over a small pool of its own, which survives a restart of
 * the head-office database.
 */
final class RunInspector implements AutoCloseable {

    /**
     * The outcome of waiting for convergence: seconds from the end of the last fault to the first
     * row-by-row match and to {@code status} saying matched (null when it never happened), the
     * comparisons made last, and the last error met while polling.
     */
    record Convergence(
            Double secondsToRowMatch,
            Double secondsToStatusMatched,
            List<Comparison> comparisons,
            String lastProblem) {}

    private static final java.time.format.DateTimeFormatter TIMESTAMP = java.time.format.DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd HH:mm:ss.SSS")
            .withZone(java.time.ZoneOffset.UTC);

    private final String runName;
    private final Map<String, DataSource> branches;
    private final Path configDir;
    private final URI brokerUri;
    private final String brokerUser;
    private final String brokerPassword;
    private final Topology topology;
    private final HikariDataSource headOffice;

    /**
     * @param branches   each branch's database by branch id, in report order
     * @param configDir  the directory with the branch configuration files {@code status} reads
     * @param brokerUser a broker user that may inspect the run's dead-letter queue
     */
    RunInspector(
            String runName,
            Map<String, DataSource> branches,
            DatabaseSettings headOffice,
            Path configDir,
            URI brokerUri,
            String brokerUser,
            String brokerPassword,
            Topology topology) {
        this.runName = runName;
        this.branches = Map.copyOf(branches);
        this.configDir = configDir;
        this.brokerUri = brokerUri;
        this.brokerUser = brokerUser;
        this.brokerPassword = brokerPassword;
        this.topology = topology;
        this.headOffice = Databases.pool(
                new DatabaseSettings(headOffice.url(), headOffice.user(), headOffice.password(), 2), "fault-check-ho");
    }

    /** The head office's latest checkpoint verdict for a branch. */
    record CheckpointVerdict(long seq, boolean matched, long missingChanges) {}

    /** The latest checkpoint verdict the head office recorded for the branch, if any. */
    java.util.Optional<CheckpointVerdict> checkpoint(String branchId) throws java.sql.SQLException {
        try (java.sql.Connection connection = headOffice.getConnection();
                java.sql.PreparedStatement statement = connection.prepareStatement(
                        "SELECT seq, matched, missing_changes FROM branch_checkpoint WHERE branch_id = ?")) {
            statement.setString(1, branchId);
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                return rs.next()
                        ? java.util.Optional.of(new CheckpointVerdict(rs.getLong(1), rs.getBoolean(2), rs.getLong(3)))
                        : java.util.Optional.empty();
            }
        }
    }

    /** Rows the latest resync of the branch removed, once it finished at the head office. */
    java.util.Optional<Long> resyncRemoved(String branchId) throws java.sql.SQLException {
        try (java.sql.Connection connection = headOffice.getConnection();
                java.sql.PreparedStatement statement = connection.prepareStatement(
                        "SELECT resync_removed FROM branch_progress WHERE branch_id = ? AND resync_finished_at IS NOT NULL")) {
            statement.setString(1, branchId);
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                return rs.next() ? java.util.Optional.of(rs.getLong(1)) : java.util.Optional.empty();
            }
        }
    }

    /** The highest outbox sequence number the branch has committed. */
    long committedSeq(String branchId) throws SQLException {
        return single(branches.get(branchId), "SELECT COALESCE(MAX(seq), 0) FROM outbox");
    }

    /** Committed changes up to {@code seq} whose broker confirm the branch has not recorded. */
    long unconfirmedUpTo(String branchId, long seq) throws SQLException {
        return single(
                branches.get(branchId), "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL AND seq <= ?", seq);
    }

    /** The lowest committed change whose broker confirm the branch has not recorded, 0 when none. */
    long firstUnconfirmed(String branchId) throws SQLException {
        return single(branches.get(branchId), "SELECT COALESCE(MIN(seq), 0) FROM outbox WHERE published_at IS NULL");
    }

    /** The highest sequence number of the branch the head office has applied, 0 before the first. */
    long appliedSeq(String branchId) throws SQLException {
        return single(
                headOffice, "SELECT COALESCE(MAX(last_seq), 0) FROM branch_progress WHERE branch_id = ?", branchId);
    }

    /** The head office holds every change of the branch up to this sequence number (0 before the first). */
    long contiguousSeq(String branchId) throws SQLException {
        return single(
                headOffice,
                "SELECT COALESCE(MAX(contiguous_seq), 0) FROM branch_progress WHERE branch_id = ?",
                branchId);
    }

    /** Changes of the branch recorded as confirmed by the broker at or after {@code from} and before {@code until}. */
    long markedSentBetween(String branchId, Instant from, Instant until) throws SQLException {
        return single(
                branches.get(branchId),
                "SELECT COUNT(*) FROM outbox WHERE published_at >= ? AND published_at < ?",
                timestamp(from),
                timestamp(until));
    }

    /**
     * Milliseconds from {@code since} to the earliest broker confirm the branch recorded at or after
     * it, or null when there is none.
     */
    Long firstMarkedSentAfter(String branchId, Instant since) throws SQLException {
        try (java.sql.Connection connection = branches.get(branchId).getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT TIMESTAMPDIFF(MICROSECOND, ?, MIN(published_at)) DIV 1000 FROM outbox WHERE published_at >= ?")) {
            statement.setString(1, timestamp(since));
            statement.setString(2, timestamp(since));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                long millis = rs.getLong(1);
                return rs.wasNull() ? null : millis;
            }
        }
    }

    /**
     * Where each side stands, for a run that did not match: the branch's last change and its
     * unconfirmed ones, and what the head office holds of it (every change up to a number, and the
     * runs it applied above a gap).
     */
    String progress(String branchId) throws SQLException {
        long committed = committedSeq(branchId);
        long unconfirmed = unconfirmedUpTo(branchId, Long.MAX_VALUE);
        long firstUnconfirmed = firstUnconfirmed(branchId);
        String ranges;
        try (java.sql.Connection connection = headOffice.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT contiguous_seq, received_ranges, last_seq FROM branch_progress WHERE branch_id = ?")) {
            statement.setString(1, branchId);
            try (ResultSet rs = statement.executeQuery()) {
                ranges = !rs.next()
                        ? "nothing"
                        : "every change up to " + rs.getLong(1)
                                + (rs.getString(2) == null || rs.getString(2).isBlank()
                                        ? ""
                                        : ", and " + rs.getString(2))
                                + " (highest " + rs.getLong(3) + ")";
            }
        }
        return "committed up to " + committed + ", " + unconfirmed + " unconfirmed"
                + (unconfirmed > 0 ? " from " + firstUnconfirmed : "") + "; the head office holds " + ranges;
    }

    /** Requests to resend lost changes the head office sent the run's branches. */
    long resendRequests() throws SQLException {
        long total = 0;
        for (String id : branches.keySet()) {
            total += single(
                    headOffice, "SELECT COUNT(*) FROM branch_request WHERE branch_id = ? AND action = 'resend'", id);
        }
        return total;
    }

    /** Changes the head office applied for the run's branches, redeliveries and resends included. */
    long appliedChanges() throws SQLException {
        long total = 0;
        for (String id : branches.keySet()) {
            total += single(
                    headOffice,
                    "SELECT COALESCE(SUM(applied_changes), 0) FROM branch_progress WHERE branch_id = ?",
                    id);
        }
        return total;
    }

    /**
     * Messages of the run the head office refused (its dead-letter log) or the broker dead-lettered
     * itself (only in the queue): the larger of the two counts.
     */
    long deadLettered() throws SQLException, IOException {
        long logged = 0;
        for (String id : branches.keySet()) {
            logged += single(headOffice, "SELECT COUNT(*) FROM dead_letter_log WHERE claimed_branch = ?", id);
        }
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(brokerUri);
        } catch (Exception e) {
            throw new IllegalStateException("bad broker URI " + brokerUri, e);
        }
        factory.setUsername(brokerUser);
        factory.setPassword(brokerPassword);
        try (Connection connection = factory.newConnection("salesync-fault-inspector");
                Channel channel = connection.createChannel()) {
            return Math.max(
                    logged,
                    channel.queueDeclarePassive(topology.deadLetterQueue()).getMessageCount());
        } catch (TimeoutException e) {
            throw new IOException("closing the inspector's broker connection timed out", e);
        }
    }

    /** Compares every branch with the head office, row by row, then the summary over all branches. */
    List<Comparison> compare() throws SQLException {
        RowComparator comparator = new RowComparator(headOffice);
        List<Comparison> comparisons = new ArrayList<>();
        for (Map.Entry<String, DataSource> branch : sortedBranches()) {
            comparisons.add(comparator.compare(branch.getKey(), branch.getValue()));
        }
        comparisons.add(comparator.compareAllBranches());
        return comparisons;
    }

    /**
     * Waits until every branch matches the head office row by row and {@code status} says matched,
     * timing both from {@code since}; gives up after {@code timeout} with what it saw last.
     */
    Convergence awaitConvergence(Instant since, Duration timeout) {
        SyncStatus status = new SyncStatus(new AggregateRepository(headOffice));
        AtomicReference<Double> rowsAt = new AtomicReference<>();
        AtomicReference<Double> statusAt = new AtomicReference<>();
        AtomicReference<String> problem = new AtomicReference<>();
        try {
            await().atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (rowsAt.get() == null) {
                            try {
                                if (compare().stream().allMatch(Comparison::matched)) {
                                    rowsAt.set(secondsSince(since));
                                }
                            } catch (SQLException | RuntimeException e) {
                                problem.set("comparing: " + e.getMessage());
                            }
                        }
                        if (statusAt.get() == null) {
                            try {
                                if (status.report(configDir).stream().allMatch(BranchReport::matched)) {
                                    statusAt.set(secondsSince(since));
                                }
                            } catch (SQLException | RuntimeException e) {
                                problem.set("status: " + e.getMessage());
                            }
                        }
                        return rowsAt.get() != null && statusAt.get() != null;
                    });
        } catch (ConditionTimeoutException e) {
            // reported as never converged, with the differences found last
        }
        try {
            return new Convergence(rowsAt.get(), statusAt.get(), compare(), problem.get());
        } catch (SQLException e) {
            throw new AssertionError(
                    runName + ": cannot compare the branches with the head office: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        headOffice.close();
    }

    private List<Map.Entry<String, DataSource>> sortedBranches() {
        return branches.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
    }

    private static double secondsSince(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }

    /** An instant as the schema's TIMESTAMP(3) columns hold it (UTC, the session time zone of every pool). */
    private static String timestamp(Instant at) {
        return TIMESTAMP.format(at);
    }

    private static long single(DataSource source, String sql, Object... parameters) throws SQLException {
        try (java.sql.Connection connection = source.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
