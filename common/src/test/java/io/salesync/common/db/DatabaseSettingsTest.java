package io.salesync.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesync.common.config.ConfigException;
import io.salesync.common.config.ConfigSource;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseSettingsTest {

    private static ConfigSource config(String key, String value) {
        Map<String, String> values = new HashMap<>(Map.of(
                DatabaseSettings.URL, "jdbc:mysql://127.0.0.1:3306/salesync_bo1?useSSL=false",
                DatabaseSettings.USER, "salesync_bo1",
                DatabaseSettings.PASSWORD, "s3cr3t",
                DatabaseSettings.POOL_SIZE, "4"));
        values.put(key, value);
        return ConfigSource.of(values);
    }

    private static DatabaseSettings settings() {
        return DatabaseSettings.from(config(DatabaseSettings.USER, "salesync_bo1"));
    }

    @Test
    void readsEveryValue() {
        assertThat(settings())
                .isEqualTo(new DatabaseSettings(
                        "jdbc:mysql://127.0.0.1:3306/salesync_bo1?useSSL=false", "salesync_bo1", "s3cr3t", 4));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:postgresql://127.0.0.1/salesync",
                "mysql://127.0.0.1:3306/salesync_bo1",
                "jdbc:mariadb://127.0.0.1:3306/salesync_bo1"
            })
    void nonMysqlUrlIsRefusedNamingTheKey(String url) {
        assertThatThrownBy(() -> DatabaseSettings.from(config(DatabaseSettings.URL, url)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration value salesync.db.url='" + url + "' from default"
                        + ": must be a MySQL JDBC URL such as jdbc:mysql://127.0.0.1:3306/salesync_bo1");
    }

    @Test
    void poolSizeOutOfRangeIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> DatabaseSettings.from(config(DatabaseSettings.POOL_SIZE, "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesync.db.pool-size='0'")
                .hasMessageEndingWith("must be from 1 to 64");
    }

    @Test
    void missingUserIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> DatabaseSettings.from(config(DatabaseSettings.USER, "")))
                .hasMessageStartingWith("missing configuration value salesync.db.user");
    }

    @Test
    void emptyPasswordIsAllowed() {
        assertThat(DatabaseSettings.from(config(DatabaseSettings.PASSWORD, "")).password())
                .isEmpty();
    }

    @Test
    void toStringMasksThePassword() {
        assertThat(settings().toString()).contains("password=********").doesNotContain("s3cr3t");
    }

    @Test
    void displayUrlDropsTheQueryString() {
        assertThat(settings().displayUrl()).isEqualTo("jdbc:mysql://127.0.0.1:3306/salesync_bo1");
    }

    @Test
    void hostAndPortAreTakenFromTheUrl() {
        assertThat(settings().hostAndPort()).isEqualTo("127.0.0.1:3306");
    }

    @Test
    void theSchemaIsReadFromTheUrl() {
        assertThat(settings().schema()).isEqualTo("salesync_bo1");
        assertThat(new DatabaseSettings("jdbc:mysql://db.example:3306/", "u", "p", 1).schema())
                .isEmpty();
        assertThat(new DatabaseSettings("jdbc:mysql://db.example", "u", "p", 1).schema())
                .isEmpty();
    }
}
