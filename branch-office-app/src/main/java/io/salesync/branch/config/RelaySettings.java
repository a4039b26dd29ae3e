package io.salesync.branch.config;

import io.salesync.common.config.ConfigSource;
import io.salesync.common.event.BranchHeartbeat;
import java.time.Duration;

/**
 * How the outbox relay publishes.
 *
 * @param batchSize      outbox rows read per database round trip
 * @param confirmWindow  most messages published but not yet confirmed by the broker
 * @param confirmTimeout how long a confirm may take before the relay resends from the first unconfirmed row
 * @param idlePoll       how often an idle relay looks at the outbox for rows written by another process
 * @param outboxRetention how long a confirmed outbox row is kept before it is deleted
 * @param heartbeat      how often a running relay tells the head office it is alive, and its backlog
 */
public record RelaySettings(
        int batchSize,
        int confirmWindow,
        Duration confirmTimeout,
        Duration idlePoll,
        Duration outboxRetention,
        Duration heartbeat) {

    public static final String BATCH_SIZE = "salesync.relay.batch-size";
    public static final String CONFIRM_WINDOW = "salesync.relay.confirm-window";
    public static final String CONFIRM_TIMEOUT_MS = "salesync.relay.confirm-timeout-ms";
    public static final String IDLE_POLL_MS = "salesync.relay.idle-poll-ms";
    public static final String OUTBOX_RETENTION_HOURS = "salesync.relay.outbox-retention-hours";
    public static final String HEARTBEAT_S = "salesync.relay.heartbeat-seconds";

    public static RelaySettings from(ConfigSource config) {
        return new RelaySettings(
                config.integer(BATCH_SIZE, 1, 10_000),
                config.integer(CONFIRM_WINDOW, 1, 100_000),
                Duration.ofMillis(config.longValue(CONFIRM_TIMEOUT_MS, 100, 600_000)),
                Duration.ofMillis(config.longValue(IDLE_POLL_MS, 10, 60_000)),
                Duration.ofHours(config.longValue(OUTBOX_RETENTION_HOURS, 1, 87_600)),
                Duration.ofSeconds(config.integer(HEARTBEAT_S, 1, BranchHeartbeat.MAX_INTERVAL_SECONDS)));
    }
}
