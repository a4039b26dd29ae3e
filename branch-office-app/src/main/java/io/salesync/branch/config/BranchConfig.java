package io.salesync.branch.config;

import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.config.BranchDirectory;
import io.salesync.common.config.ConfigException;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.sale.SaleValidator;
import io.salesync.common.sale.TaxRate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.LoggerFactory;

/**
 * The branch office's whole configuration, immutable and validated when built.
 *
 * <p>Defaults match the development stack of docker-compose.yml except for passwords, which come
 * from the configuration file ({@code config/branch-<id>.properties}) or the environment.
 */
public record BranchConfig(
        String branchId,
        TaxRate taxRate,
        DatabaseSettings database,
        BrokerSettings broker,
        RelaySettings relay,
        ConfigSource source) {

    public static final String BRANCH_ID = "salesync.branch.id";
    public static final String TAX_RATE = "salesync.branch.tax-rate";
    public static final String CHECKPOINT_INTERVAL_S = "salesync.branch.checkpoint-interval-seconds";

    /** Every key the branch knows, with its default; {@code <id>} stands for the branch id. */
    public static Map<String, String> defaults(String branchId) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(BRANCH_ID, branchId);
        defaults.put(TAX_RATE, "0.08");
        defaults.put(CHECKPOINT_INTERVAL_S, "300");
        defaults.putAll(BranchDirectory.databaseDefaults(branchId));
        defaults.put(BrokerSettings.URI_KEY, "amqp://127.0.0.1:5672/salesync");
        defaults.put(BrokerSettings.USER, branchId);
        defaults.put(BrokerSettings.PASSWORD, "");
        defaults.put(BrokerSettings.PREFIX, "salesync");
        defaults.put(BrokerSettings.TLS_CA_FILE, "");
        defaults.put(BrokerSettings.ADDRESSES, "");
        defaults.put(RelaySettings.BATCH_SIZE, "500");
        defaults.put(RelaySettings.CONFIRM_WINDOW, "2000");
        defaults.put(RelaySettings.CONFIRM_TIMEOUT_MS, "60000");
        defaults.put(RelaySettings.IDLE_POLL_MS, "500");
        defaults.put(RelaySettings.OUTBOX_RETENTION_HOURS, "168");
        defaults.put(RelaySettings.HEARTBEAT_S, "30");
        return defaults;
    }

    /**
     * Loads defaults, the file (may be null), the environment and system properties.
     *
     * @param branchIdArg the id given on the command line, or null to take it from the configuration
     */
    public static BranchConfig load(String branchIdArg, Path file) {
        String configured =
                ConfigSource.load(defaults(""), file).optional(BRANCH_ID).orElse(null);
        if (branchIdArg != null && configured != null && !branchIdArg.equals(configured)) {
            throw new ConfigException("--id " + branchIdArg + " contradicts " + BRANCH_ID + "=" + configured
                    + (file == null ? "" : " in " + file)
                    + ": a branch must not send its changes under another branch's name");
        }
        String branchId = branchIdArg != null ? branchIdArg : configured;
        if (branchId == null) {
            throw new ConfigException("no branch id: pass --id bo1 or set " + BRANCH_ID);
        }
        return from(ConfigSource.load(defaults(branchId), file, System.getenv(), withBranchId(branchIdArg)));
    }

    /** Validates and builds; throws {@link ConfigException} naming the first bad key. */
    public static BranchConfig from(ConfigSource config) {
        String branchId = config.string(BRANCH_ID);
        if (!SaleValidator.isValidBranchId(branchId)) {
            throw config.invalid(
                    BRANCH_ID, "use lower-case letters, digits, '-' or '_', at most 32 characters, for example bo1");
        }
        TaxRate taxRate;
        try {
            taxRate = new TaxRate(config.decimal(TAX_RATE));
        } catch (IllegalArgumentException e) {
            throw config.invalid(TAX_RATE, e.getMessage());
        }
        checkpointInterval(config);
        BrokerSettings broker = BrokerSettings.from(config);
        if (!broker.user().equals(branchId)) {
            LoggerFactory.getLogger(BranchConfig.class)
                    .warn(
                            "Broker user '{}' is not named after branch '{}': the head office"
                                    + " accepts a branch's changes only from the broker user of the same name, so they will be"
                                    + " dead-lettered ({})",
                            broker.user(),
                            branchId,
                            BrokerSettings.USER);
        }
        return new BranchConfig(
                branchId, taxRate, DatabaseSettings.from(config), broker, RelaySettings.from(config), config);
    }

    /**
     * How often the branch sends a checkpoint on its own (it also sends one shortly after start);
     * zero: only when the head office asks and after a resync.
     */
    public Duration checkpointInterval() {
        return checkpointInterval(source);
    }

    private static Duration checkpointInterval(ConfigSource config) {
        return Duration.ofSeconds(config.longValue(CHECKPOINT_INTERVAL_S, 0, 86_400));
    }

    private static Properties withBranchId(String branchIdArg) {
        Properties properties = new Properties();
        properties.putAll(System.getProperties());
        if (branchIdArg != null) {
            properties.setProperty(BRANCH_ID, branchIdArg);
        }
        return properties;
    }
}
