package io.salesync.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigSourceTest {

    private static final String RATE = "salesync.branch.tax-rate";
    private static final String POOL = "salesync.db.pool-size";
    private static final String PASSWORD = "salesync.db.password";

    @TempDir
    Path dir;

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(RATE, "0.08");
        defaults.put(POOL, "4");
        defaults.put(PASSWORD, "");
        return defaults;
    }

    private Path file(String content) throws IOException {
        Path file = dir.resolve("branch-bo1.properties");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static Properties system(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return properties;
    }

    @Nested
    class Precedence {

        @Test
        void defaultAppliesWhenNothingElseSetsTheKey() {
            ConfigSource config = ConfigSource.load(defaults(), null, Map.of(), new Properties());

            assertThat(config.string(RATE)).isEqualTo("0.08");
        }

        @Test
        void fileOverridesDefault() throws IOException {
            ConfigSource config = ConfigSource.load(defaults(), file(RATE + "=0.075\n"), Map.of(), new Properties());

            assertThat(config.string(RATE)).isEqualTo("0.075");
        }

        @Test
        void environmentOverridesFile() throws IOException {
            ConfigSource config = ConfigSource.load(
                    defaults(), file(RATE + "=0.075\n"), Map.of("SALESYNC_BRANCH_TAX_RATE", "0.07"), new Properties());

            assertThat(config.string(RATE)).isEqualTo("0.07");
        }

        @Test
        void systemPropertyOverridesEnvironment() throws IOException {
            ConfigSource config = ConfigSource.load(
                    defaults(),
                    file(RATE + "=0.075\n"),
                    Map.of("SALESYNC_BRANCH_TAX_RATE", "0.07"),
                    system(RATE, "0.06"));

            assertThat(config.string(RATE)).isEqualTo("0.06");
        }

        @Test
        void environmentOverridesAKeyOnlyTheFileKnows() throws IOException {
            ConfigSource config = ConfigSource.load(
                    defaults(),
                    file("salesync.extra=from-file\n"),
                    Map.of("SALESYNC_EXTRA", "from-env"),
                    new Properties());

            assertThat(config.string("salesync.extra")).isEqualTo("from-env");
        }

        @Test
        void environmentIsConsultedOnlyForKnownKeys() {
            ConfigSource config =
                    ConfigSource.load(defaults(), null, Map.of("SALESYNC_UNKNOWN", "x"), new Properties());

            assertThat(config.optional("salesync.unknown")).isEmpty();
        }

        @Test
        void systemPropertiesOutsideTheSalesyncNamespaceAreIgnored() {
            ConfigSource config = ConfigSource.load(defaults(), null, Map.of(), system("user.name", "ann"));

            assertThat(config.optional("user.name")).isEmpty();
        }

        @Test
        void fileValuesLoseSurroundingSpaces() throws IOException {
            ConfigSource config =
                    ConfigSource.load(defaults(), file(RATE + " =   0.075   \n"), Map.of(), new Properties());

            assertThat(config.string(RATE)).isEqualTo("0.075");
        }

        @Test
        void withReplacesOneValueInACopy() {
            ConfigSource original = ConfigSource.of(defaults());

            ConfigSource copy = original.with(RATE, "0.05");

            assertThat(copy.string(RATE)).isEqualTo("0.05");
            assertThat(original.string(RATE)).isEqualTo("0.08");
            assertThatThrownBy(() -> copy.integer(RATE, 0, 1)).hasMessageContaining("from override");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "salesync.branch.tax-rate, SALESYNC_BRANCH_TAX_RATE",
        "salesync.db.url, SALESYNC_DB_URL",
        "salesync.relay.confirm-timeout-ms, SALESYNC_RELAY_CONFIRM_TIMEOUT_MS"
    })
    void environmentNameIsUpperCaseWithUnderscores(String key, String envName) {
        assertThat(ConfigSource.envName(key)).isEqualTo(envName);
    }

    @Nested
    class Errors {

        @Test
        void missingFileIsAnErrorNamingItsPath() {
            Path missing = dir.resolve("branch-bo9.properties");

            assertThatThrownBy(() -> ConfigSource.load(defaults(), missing, Map.of(), new Properties()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("configuration file " + missing.toAbsolutePath() + " does not exist");
        }

        @Test
        void missingValueNamesTheKeyAndItsEnvironmentVariable() {
            ConfigSource config = ConfigSource.of(Map.of("salesync.db.url", " "));

            assertThatThrownBy(() -> config.string("salesync.db.url"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("missing configuration value salesync.db.url"
                            + " (set it in the configuration file or as SALESYNC_DB_URL)");
        }

        @Test
        void invalidIntegerNamesTheKeyValueAndFile() throws IOException {
            Path file = file(POOL + "=many\n");
            ConfigSource config = ConfigSource.load(defaults(), file, Map.of(), new Properties());

            assertThatThrownBy(() -> config.integer(POOL, 1, 64))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("invalid configuration value salesync.db.pool-size='many' from file " + file
                            + ": must be a whole number");
        }

        @Test
        void integerOutOfRangeNamesTheEnvironmentVariableItCameFrom() {
            ConfigSource config =
                    ConfigSource.load(defaults(), null, Map.of("SALESYNC_DB_POOL_SIZE", "65"), new Properties());

            assertThatThrownBy(() -> config.integer(POOL, 1, 64))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("invalid configuration value salesync.db.pool-size='65' from environment"
                            + " SALESYNC_DB_POOL_SIZE: must be from 1 to 64");
        }

        @Test
        void invalidLongNamesTheSystemProperty() {
            ConfigSource config = ConfigSource.load(defaults(), null, Map.of(), system(POOL, "1.5"));

            assertThatThrownBy(() -> config.longValue(POOL, 1, 64))
                    .hasMessage("invalid configuration value salesync.db.pool-size='1.5' from system property"
                            + ": must be a whole number");
        }

        @Test
        void invalidDecimalGivesAnExample() {
            ConfigSource config = ConfigSource.of(Map.of(RATE, "8%"));

            assertThatThrownBy(() -> config.decimal(RATE))
                    .hasMessage("invalid configuration value salesync.branch.tax-rate='8%' from default"
                            + ": must be a decimal number such as 0.08");
        }

        @Test
        void uriWithAnotherSchemeIsRefusedNamingTheAllowedOnes() {
            ConfigSource config = ConfigSource.of(Map.of("salesync.broker.uri", "http://127.0.0.1:5672/"));

            assertThatThrownBy(() -> config.uri("salesync.broker.uri", "amqp", "amqps"))
                    .hasMessageEndingWith(": must start with amqp:// or amqps://");
        }

        @Test
        void malformedUriIsRefused() {
            ConfigSource config = ConfigSource.of(Map.of("salesync.broker.uri", "amqp://bad host/"));

            assertThatThrownBy(() -> config.uri("salesync.broker.uri", "amqp"))
                    .hasMessageStartingWith("invalid configuration value salesync.broker.uri=")
                    .hasMessageEndingWith(": is not a valid URI");
        }
    }

    @Nested
    class TypedValues {

        @Test
        void typedGettersParseValidValues() {
            ConfigSource config =
                    ConfigSource.of(Map.of(POOL, "8", RATE, "0.075", "salesync.broker.uri", "amqps://h/v"));

            assertThat(config.integer(POOL, 1, 64)).isEqualTo(8);
            assertThat(config.longValue(POOL, 1, 64)).isEqualTo(8L);
            assertThat(config.decimal(RATE)).isEqualTo(new BigDecimal("0.075"));
            assertThat(config.uri("salesync.broker.uri", "amqp", "amqps")).isEqualTo(URI.create("amqps://h/v"));
        }

        @Test
        void emptySecretIsLegitimate() {
            ConfigSource config = ConfigSource.of(defaults());

            assertThat(config.secret(PASSWORD)).isEmpty();
            assertThat(config.secret("salesync.unknown.password")).isEmpty();
        }
    }

    @Nested
    class Describe {

        @Test
        void passwordsAreMasked() {
            ConfigSource config =
                    ConfigSource.of(Map.of(PASSWORD, "s3cr3t", "salesync.api.secret", "k3y", RATE, "0.08"));

            String described = config.describe();

            assertThat(described)
                    .contains("salesync.db.password = ********")
                    .contains("salesync.api.secret = ********")
                    .contains("salesync.branch.tax-rate = 0.08")
                    .doesNotContain("s3cr3t")
                    .doesNotContain("k3y");
        }

        @Test
        void emptyPasswordIsShownAsEmptyNotMasked() {
            assertThat(ConfigSource.of(Map.of(PASSWORD, "")).describe()).contains("salesync.db.password = (empty)");
        }

        @Test
        void everyValueIsShownWithItsOriginInKeyOrder() throws IOException {
            Path file = file(POOL + "=8\n");
            ConfigSource config =
                    ConfigSource.load(defaults(), file, Map.of("SALESYNC_BRANCH_TAX_RATE", "0.07"), new Properties());

            assertThat(config.describe())
                    .isEqualTo("  salesync.branch.tax-rate = 0.07  (environment SALESYNC_BRANCH_TAX_RATE)\n"
                            + "  salesync.db.password = (empty)  (default)\n"
                            + "  salesync.db.pool-size = 8  (file " + file + ")\n");
        }
    }
}
