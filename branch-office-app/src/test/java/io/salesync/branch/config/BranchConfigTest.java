package io.salesync.branch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesync.common.config.ConfigException;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.sale.TaxRate;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BranchConfigTest {

    @TempDir
    Path dir;

    private static BranchConfig defaultsOf(String branchId) {
        return BranchConfig.from(ConfigSource.of(BranchConfig.defaults(branchId)));
    }

    private static BranchConfig withValue(String key, String value) {
        return BranchConfig.from(ConfigSource.of(BranchConfig.defaults("bo1")).with(key, value));
    }

    private Path file(String content) throws IOException {
        Path file = dir.resolve("branch-bo1.properties");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void defaultsAreDerivedFromTheBranchId() {
        BranchConfig config = defaultsOf("bo2");

        assertThat(config.branchId()).isEqualTo("bo2");
        assertThat(config.database().url()).isEqualTo("jdbc:mysql://127.0.0.1:3306/salesync_bo2");
        assertThat(config.database().user()).isEqualTo("salesync_bo2");
        assertThat(config.broker().user()).isEqualTo("bo2");
    }

    @Test
    void defaultsMatchTheDevelopmentStack() {
        BranchConfig config = defaultsOf("bo1");

        assertThat(config.taxRate()).isEqualTo(TaxRate.of("0.08"));
        assertThat(config.database().poolSize()).isEqualTo(4);
        assertThat(config.broker().uri()).isEqualTo(URI.create("amqp://127.0.0.1:5672/salesync"));
        assertThat(config.broker().prefix()).isEqualTo("salesync");
        assertThat(config.relay())
                .isEqualTo(new RelaySettings(
                        500,
                        2000,
                        Duration.ofSeconds(60),
                        Duration.ofMillis(500),
                        Duration.ofDays(7),
                        Duration.ofSeconds(30)));
    }

    @Test
    void taxRateAsAPercentageIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> withValue(BranchConfig.TAX_RATE, "8"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration value salesync.branch.tax-rate='8' from override"
                        + ": tax rate must be between 0 and 1 (0.08 means 8 %), was 8");
    }

    @ParameterizedTest
    @CsvSource({"0,must be from 1 to 3600", "3601,must be from 1 to 3600", "half,must be a whole number"})
    void heartbeatIntervalOutOfRangeIsRefusedNamingTheKey(String value, String why) {
        assertThatThrownBy(() -> withValue(RelaySettings.HEARTBEAT_S, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesync.relay.heartbeat-seconds='" + value + "'")
                .hasMessageEndingWith(why);
    }

    @Test
    void heartbeatIntervalIsTakenInSeconds() {
        assertThat(withValue(RelaySettings.HEARTBEAT_S, "1").relay().heartbeat())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8%", "0.08125", "-0.01"})
    void unusableTaxRateIsRefusedNamingTheKey(String rate) {
        assertThatThrownBy(() -> withValue(BranchConfig.TAX_RATE, rate))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration value salesync.branch.tax-rate='" + rate + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BO1", "bo 1", "../bo1", "-bo1"})
    void invalidBranchIdIsRefusedWithAnExample(String id) {
        assertThatThrownBy(() -> withValue(BranchConfig.BRANCH_ID, id))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration value salesync.branch.id='" + id + "' from override"
                        + ": use lower-case letters, digits, '-' or '_', at most 32 characters, for example bo1");
    }

    @Test
    void relaySettingOutOfRangeIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> withValue(RelaySettings.CONFIRM_TIMEOUT_MS, "50"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesync.relay.confirm-timeout-ms='50'")
                .hasMessageEndingWith("must be from 100 to 600000");
    }

    @Test
    void fileValuesOverrideTheDefaults() throws IOException {
        Path file = file("""
                salesync.branch.tax-rate=0.075
                salesync.db.url=jdbc:mysql://db.branch.example:3306/sales
                salesync.db.password=from-file
                salesync.relay.batch-size=50
                """);

        BranchConfig config =
                BranchConfig.from(ConfigSource.load(BranchConfig.defaults("bo1"), file, Map.of(), new Properties()));

        assertThat(config.taxRate().value()).isEqualTo(new BigDecimal("0.075"));
        assertThat(config.database().url()).isEqualTo("jdbc:mysql://db.branch.example:3306/sales");
        assertThat(config.database().password()).isEqualTo("from-file");
        assertThat(config.relay().batchSize()).isEqualTo(50);
        assertThat(config.database().user()).isEqualTo("salesync_bo1");
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path file = file("salesync.branch.tax-rate=0.075\n");

        BranchConfig config = BranchConfig.from(ConfigSource.load(
                BranchConfig.defaults("bo1"), file, Map.of("SALESYNC_BRANCH_TAX_RATE", "0.06"), new Properties()));

        assertThat(config.taxRate()).isEqualTo(TaxRate.of("0.06"));
    }

    @Test
    void clusterAddressesComeFromTheFileOrTheEnvironmentAndAreLoggedWithTheConfiguration() throws IOException {
        Path file = file("salesync.broker.addresses=rabbit-1:5672,rabbit-2:5672\n");

        BranchConfig fromFile =
                BranchConfig.from(ConfigSource.load(BranchConfig.defaults("bo1"), file, Map.of(), new Properties()));
        BranchConfig fromEnvironment = BranchConfig.from(ConfigSource.load(
                BranchConfig.defaults("bo1"),
                file,
                Map.of("SALESYNC_BROKER_ADDRESSES", "rabbit-3:5672"),
                new Properties()));

        assertThat(defaultsOf("bo1").broker().clustered()).isFalse();
        assertThat(fromFile.broker().hostAndPort()).isEqualTo("rabbit-1:5672,rabbit-2:5672");
        assertThat(fromEnvironment.broker().hostAndPort()).isEqualTo("rabbit-3:5672");
        assertThat(fromEnvironment.source().describe())
                .contains("salesync.broker.addresses = rabbit-3:5672  (environment SALESYNC_BROKER_ADDRESSES)");
    }

    @Test
    void badClusterAddressStopsTheBranchNamingTheKeyAndTheEntry() {
        assertThatThrownBy(() -> withValue("salesync.broker.addresses", "rabbit-1:5672,rabbit-2:abc"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesync.broker.addresses='rabbit-1:5672,rabbit-2:abc'")
                .hasMessageContaining("'rabbit-2:abc' is not host:port");
    }

    @Test
    void branchIdFromTheFileDerivesTheDefaults() throws IOException {
        Path file = file("salesync.branch.id=bo7\n");

        BranchConfig config = BranchConfig.load(null, file);

        assertThat(config.branchId()).isEqualTo("bo7");
        assertThat(config.database().url()).isEqualTo("jdbc:mysql://127.0.0.1:3306/salesync_bo7");
        assertThat(config.broker().user()).isEqualTo("bo7");
    }

    @Test
    void branchIdOnTheCommandLineMustAgreeWithTheFile() throws IOException {
        Path file = file("salesync.branch.id=bo7\n");

        assertThat(BranchConfig.load("bo7", file).branchId()).isEqualTo("bo7");
        assertThatThrownBy(() -> BranchConfig.load("bo2", file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--id bo2 contradicts salesync.branch.id=bo7");
    }

    @Test
    void missingBranchIdSaysHowToGiveOne() {
        assertThatThrownBy(() -> BranchConfig.load(null, null))
                .isInstanceOf(ConfigException.class)
                .hasMessage("no branch id: pass --id bo1 or set salesync.branch.id");
    }

    @Test
    void effectiveConfigurationDescriptionHidesPasswords() throws IOException {
        Path file = file("salesync.db.password=db-s3cr3t\nsalesync.broker.password=mq-s3cr3t\n");

        BranchConfig config =
                BranchConfig.from(ConfigSource.load(BranchConfig.defaults("bo1"), file, Map.of(), new Properties()));

        assertThat(config.source().describe()).doesNotContain("db-s3cr3t").doesNotContain("mq-s3cr3t");
        assertThat(config.toString()).doesNotContain("db-s3cr3t").doesNotContain("mq-s3cr3t");
    }
}
