package io.salesync.it.fault;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import io.salesync.common.amqp.MessageHeaders;
import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.SaleChange;
import java.io.IOException;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * A test publisher that speaks as a branch (its broker user, so {@code user_id} checks pass) and
 * sends copies of that branch's outbox rows out of turn: again (duplicates), before the relay sends
 * them and in reverse order (reordering), and older versions of sales that have newer ones (stale).
 * Every body is the exact payload the branch wrote, so the head office cannot tell them from the
 * relay's own; it must absorb them by version.
 *
 * <p>One channel, used by the calling thread only; each call waits for the broker's confirms.
 */
final class ReplayPublisher implements AutoCloseable {

    /** How messages are chosen. */
    enum Kind {
        DUPLICATE("duplicates of confirmed changes"),
        AHEAD("unsent changes sent ahead of the relay, newest first"),
        STALE("older versions of sales that have newer ones");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    private record Row(long seq, String messageType, byte[] payload) {}

    private final String branchId;
    private final DataSource branch;
    private final Topology topology;
    private final Random random;
    private final String user;
    private final Connection connection;
    private final Channel channel;

    ReplayPublisher(
            String branchId,
            DataSource branch,
            Topology topology,
            URI brokerUri,
            String user,
            String password,
            Random random) {
        this.branchId = branchId;
        this.branch = branch;
        this.topology = topology;
        this.random = random;
        this.user = user;
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(brokerUri);
            factory.setUsername(user);
            factory.setPassword(password);
            this.connection = factory.newConnection("salesync-fault-replay-" + branchId);
            this.channel = connection.createChannel();
            channel.confirmSelect();
        } catch (Exception e) {
            throw new IllegalStateException("the replay publisher cannot connect to " + brokerUri + " as " + user, e);
        }
    }

    /** Sends up to {@code count} messages of one kind; returns how many the broker confirmed. */
    int inject(Kind kind, int count) throws SQLException, IOException, InterruptedException, TimeoutException {
        List<Row> rows = switch (kind) {
            case DUPLICATE -> sample("SELECT seq FROM outbox WHERE published_at IS NOT NULL", count);
            case AHEAD -> newestUnpublished(count);
            case STALE ->
                sample(
                        "SELECT o.seq FROM outbox o JOIN sale s ON s.sale_id = o.sale_id WHERE o.seq < s.last_seq",
                        count);
        };
        if (kind == Kind.DUPLICATE || kind == Kind.STALE) {
            Collections.shuffle(rows, random);
        }
        for (Row row : rows) {
            AMQP.BasicProperties properties = MessageProperties.PERSISTENT_BASIC
                    .builder()
                    .contentType(SaleChangeCodec.CONTENT_TYPE)
                    .contentEncoding("utf-8")
                    .messageId(SaleChange.messageId(branchId, row.seq()))
                    .type(row.messageType())
                    .userId(user)
                    .appId("salesync-fault-replay")
                    .timestamp(new Date())
                    .headers(Map.of(MessageHeaders.SCHEMA_VERSION, SaleChangeCodec.SCHEMA_VERSION))
                    .build();
            channel.basicPublish(
                    topology.salesExchange(), Topology.routingKey(branchId), true, properties, row.payload());
        }
        if (!rows.isEmpty()) {
            channel.waitForConfirmsOrDie(10_000);
        }
        return rows.size();
    }

    @Override
    public void close() {
        try {
            connection.close(2_000);
        } catch (IOException | RuntimeException e) {
            // already closed
        }
    }

    private List<Row> sample(String candidatesSql, int count) throws SQLException {
        List<Long> candidates = new ArrayList<>();
        try (java.sql.Connection db = branch.getConnection();
                PreparedStatement statement = db.prepareStatement(candidatesSql);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                candidates.add(rs.getLong(1));
            }
        }
        Collections.shuffle(candidates, random);
        return load(candidates.subList(0, Math.min(count, candidates.size())));
    }

    private List<Row> newestUnpublished(int count) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (java.sql.Connection db = branch.getConnection();
                PreparedStatement statement = db.prepareStatement(
                        "SELECT seq FROM outbox WHERE published_at IS NULL ORDER BY seq DESC LIMIT ?")) {
            statement.setInt(1, count);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
        }
        return load(seqs);
    }

    /** The rows in the order of {@code seqs}. */
    private List<Row> load(List<Long> seqs) throws SQLException {
        List<Row> rows = new ArrayList<>(seqs.size());
        try (java.sql.Connection db = branch.getConnection();
                PreparedStatement statement =
                        db.prepareStatement("SELECT message_type, payload FROM outbox WHERE seq = ?")) {
            for (long seq : seqs) {
                statement.setLong(1, seq);
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        rows.add(new Row(seq, rs.getString(1), rs.getBytes(2)));
                    }
                }
            }
        }
        return rows;
    }
}
