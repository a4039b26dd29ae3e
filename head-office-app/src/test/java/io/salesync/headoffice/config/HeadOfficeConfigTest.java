package io.salesync.headoffice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesync.common.config.ConfigException;
import io.salesync.common.config.ConfigSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadOfficeConfigTest {

    private static HeadOfficeConfig withValues(Map<String, String> overrides) {
        ConfigSource config = ConfigSource.of(HeadOfficeConfig.defaults());
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            config = config.with(entry.getKey(), entry.getValue());
        }
        return HeadOfficeConfig.from(config);
    }

    @Test
    void defaultsMatchTheDevelopmentStack() {
        HeadOfficeConfig config = withValues(Map.of());

        assertThat(config.database().url()).isEqualTo("jdbc:mysql://127.0.0.1:3306/salesync_ho");
        assertThat(config.database().user()).isEqualTo("salesync_ho");
        assertThat(config.broker().user()).isEqualTo("ho");
        assertThat(config.broker().prefix()).isEqualTo("salesync");
        assertThat(config.prefetch()).isEqualTo(4000);
        assertThat(config.batchSize()).isEqualTo(2000);
        assertThat(config.linger()).isEqualTo(Duration.ZERO);
        assertThat(config.appliers()).isEqualTo(2);
        assertThat(config.database().poolSize()).isEqualTo(4);
    }

    @Test
    void clusterAddressesAreAKeyOfTheHeadOffice() {
        HeadOfficeConfig config =
                withValues(Map.of("salesync.broker.addresses", "rabbit-1:5672,rabbit-2:5672,rabbit-3:5672"));

        assertThat(config.broker().nodes()).hasSize(3);
        assertThat(config.broker().virtualHost()).isEqualTo("salesync");
        assertThat(HeadOfficeConfig.defaults()).containsEntry("salesync.broker.addresses", "");
    }

    @Test
    void appliersOutsideOneToSixteenAreRefused() {
        assertThatThrownBy(() -> withValues(Map.of(HeadOfficeConfig.APPLIERS, "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("must be from 1 to 16");
    }

    @Test
    void batchLargerThanPrefetchIsRefusedNamingBothKeys() {
        assertThatThrownBy(
                        () -> withValues(Map.of(HeadOfficeConfig.PREFETCH, "100", HeadOfficeConfig.BATCH_SIZE, "101")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration value salesync.consumer.batch-size='101' from override"
                        + ": must not exceed salesync.consumer.prefetch (100), or batches never fill");
    }

    @Test
    void batchEqualToPrefetchIsAccepted() {
        HeadOfficeConfig config =
                withValues(Map.of(HeadOfficeConfig.PREFETCH, "100", HeadOfficeConfig.BATCH_SIZE, "100"));

        assertThat(config.batchSize()).isEqualTo(config.prefetch());
    }

    @Test
    void prefetchBeyondWhatAmqpAllowsIsRefused() {
        assertThatThrownBy(() -> withValues(Map.of(HeadOfficeConfig.PREFETCH, "65536")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesync.consumer.prefetch='65536'")
                .hasMessageEndingWith("must be from 1 to 65535");
    }

    @Test
    void negativeLingerIsRefused() {
        assertThatThrownBy(() -> withValues(Map.of(HeadOfficeConfig.LINGER_MS, "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesync.consumer.linger-ms='-1'");
    }

    @Test
    void fileValuesOverrideTheDefaults(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("head-office.properties");
        Files.writeString(
                file, "salesync.consumer.prefetch=200\nsalesync.consumer.batch-size=50\n", StandardCharsets.UTF_8);

        HeadOfficeConfig config =
                HeadOfficeConfig.from(ConfigSource.load(HeadOfficeConfig.defaults(), file, Map.of(), new Properties()));

        assertThat(config.prefetch()).isEqualTo(200);
        assertThat(config.batchSize()).isEqualTo(50);
    }

    @Test
    void aWindowConsumesUnlessItIsViewOnly() {
        HeadOfficeConfig config = withValues(Map.of());

        assertThat(config.viewOnly()).isFalse();
        assertThat(config.viewPoll()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.asViewOnly().viewOnly()).isTrue();
        assertThat(withValues(Map.of(HeadOfficeConfig.VIEW_ONLY, "TRUE")).viewOnly())
                .isTrue();
    }

    @Test
    void viewOnlyIsTrueOrFalseAndNothingElse() {
        assertThatThrownBy(() -> withValues(Map.of(HeadOfficeConfig.VIEW_ONLY, "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "invalid configuration value salesync.head-office.view-only='yes' from override: must be true or false");
    }

    @Test
    void aViewWindowAsksTheDatabaseAtMostFiveTimesASecond() {
        assertThatThrownBy(() -> withValues(Map.of(HeadOfficeConfig.VIEW_POLL_MS, "100")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesync.head-office.view-poll-ms='100'")
                .hasMessageEndingWith("must be from 200 to 60000");
    }

    @Test
    void aBranchIsSilentAfterTwoMinutesByDefaultAndTheTimeIsValidated() {
        assertThat(withValues(Map.of()).silentAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(withValues(Map.of(HeadOfficeConfig.SILENT_AFTER_S, "2")).silentAfter())
                .isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> withValues(Map.of(HeadOfficeConfig.SILENT_AFTER_S, "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesync.head-office.silent-after-seconds='1'")
                .hasMessageEndingWith("must be from 2 to 86400");
    }
}
