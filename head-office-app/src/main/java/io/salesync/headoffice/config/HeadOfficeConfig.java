package io.salesync.headoffice.config;

import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.db.DatabaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The head office's whole configuration, immutable and validated when built.
 *
 * @param prefetch  most unacknowledged messages the broker hands the consumer
 * @param batchSize most changes applied in one database transaction
 * @param linger    how long a batch waits to fill once its first change arrived
 * @param appliers  how many threads apply batches at once, each branch always on the same one
 * @param viewOnly  a manager's window that only reads the database: no consumer, no broker, no migrations
 * @param viewPoll  how often a view-only window asks the database whether anything changed
 */
public record HeadOfficeConfig(
        DatabaseSettings database,
        BrokerSettings broker,
        int prefetch,
        int batchSize,
        Duration linger,
        int appliers,
        boolean viewOnly,
        Duration viewPoll,
        ConfigSource source) {

    public static final String PREFETCH = "salesync.consumer.prefetch";
    public static final String BATCH_SIZE = "salesync.consumer.batch-size";
    public static final String LINGER_MS = "salesync.consumer.linger-ms";
    public static final String APPLIERS = "salesync.consumer.appliers";
    public static final String GAP_REPORT_S = "salesync.consumer.gap-report-seconds";
    public static final String VIEW_ONLY = "salesync.head-office.view-only";
    public static final String VIEW_POLL_MS = "salesync.head-office.view-poll-ms";
    public static final String SILENT_AFTER_S = "salesync.head-office.silent-after-seconds";

    /** Every key the head office knows, with its default. */
    public static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(DatabaseSettings.URL, "jdbc:mysql://127.0.0.1:3306/salesync_ho");
        defaults.put(DatabaseSettings.USER, "salesync_ho");
        defaults.put(DatabaseSettings.PASSWORD, "");
        defaults.put(DatabaseSettings.POOL_SIZE, "4");
        defaults.put(DatabaseSettings.MIGRATION_USER, "");
        defaults.put(DatabaseSettings.MIGRATION_PASSWORD, "");
        defaults.put(BrokerSettings.URI_KEY, "amqp://127.0.0.1:5672/salesync");
        defaults.put(BrokerSettings.USER, "ho");
        defaults.put(BrokerSettings.PASSWORD, "");
        defaults.put(BrokerSettings.PREFIX, "salesync");
        defaults.put(BrokerSettings.TLS_CA_FILE, "");
        defaults.put(BrokerSettings.ADDRESSES, "");
        defaults.put(PREFETCH, "4000");
        defaults.put(BATCH_SIZE, "2000");
        defaults.put(LINGER_MS, "0");
        defaults.put(APPLIERS, "2");
        defaults.put(GAP_REPORT_S, "60");
        defaults.put(VIEW_ONLY, "false");
        defaults.put(VIEW_POLL_MS, "1000");
        defaults.put(SILENT_AFTER_S, "120");
        return defaults;
    }

    public static HeadOfficeConfig load(Path file) {
        return from(ConfigSource.load(defaults(), file));
    }

    public static HeadOfficeConfig from(ConfigSource config) {
        int prefetch = config.integer(PREFETCH, 1, 65_535);
        int batchSize = config.integer(BATCH_SIZE, 1, 10_000);
        if (batchSize > prefetch) {
            throw config.invalid(
                    BATCH_SIZE, "must not exceed " + PREFETCH + " (" + prefetch + "), or batches never fill");
        }
        int appliers = config.integer(APPLIERS, 1, 16);
        DatabaseSettings database = DatabaseSettings.from(config);
        gapReportAfter(config);
        silentAfter(config);
        boolean viewOnly = config.flag(VIEW_ONLY);
        Duration viewPoll = Duration.ofMillis(config.longValue(VIEW_POLL_MS, 200, 60_000));
        return new HeadOfficeConfig(
                database,
                BrokerSettings.from(config),
                prefetch,
                batchSize,
                Duration.ofMillis(config.longValue(LINGER_MS, 0, 10_000)),
                appliers,
                viewOnly,
                viewPoll,
                config);
    }

    /** The same configuration for a view-only window ({@code --view}). */
    public HeadOfficeConfig asViewOnly() {
        return viewOnly ? this : from(source.with(VIEW_ONLY, "true"));
    }

    /**
     * How long a gap in a branch's sequence numbers may stay open before it is reported: changes
     * that were resent after a failure usually fill it within seconds.
     */
    public Duration gapReportAfter() {
        return gapReportAfter(source);
    }

    /**
     * How long the head office may hear nothing from a branch, neither a heartbeat nor a change,
     * before it shows the branch as silent: several of the branches' heartbeat intervals.
     */
    public Duration silentAfter() {
        return silentAfter(source);
    }

    private static Duration silentAfter(ConfigSource config) {
        return Duration.ofSeconds(config.longValue(SILENT_AFTER_S, 2, 86_400));
    }

    private static Duration gapReportAfter(ConfigSource config) {
        return Duration.ofSeconds(config.longValue(GAP_REPORT_S, 1, 86_400));
    }
}
