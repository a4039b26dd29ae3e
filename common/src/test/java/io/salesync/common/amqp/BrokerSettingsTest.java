package io.salesync.common.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesync.common.config.ConfigException;
import io.salesync.common.config.ConfigSource;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BrokerSettingsTest {

    private static ConfigSource config(String key, String value) {
        Map<String, String> values = new HashMap<>(Map.of(
                BrokerSettings.URI_KEY, "amqp://127.0.0.1:5672/salesync",
                BrokerSettings.USER, "bo1",
                BrokerSettings.PASSWORD, "s3cr3t",
                BrokerSettings.PREFIX, "salesync"));
        values.put(key, value);
        return ConfigSource.of(values);
    }

    private static BrokerSettings withUri(String uri) {
        return BrokerSettings.from(config(BrokerSettings.URI_KEY, uri));
    }

    @Test
    void readsEveryValue() {
        BrokerSettings settings = withUri("amqp://127.0.0.1:5672/salesync");

        assertThat(settings)
                .isEqualTo(
                        new BrokerSettings(URI.create("amqp://127.0.0.1:5672/salesync"), "bo1", "s3cr3t", "salesync"));
    }

    @ParameterizedTest
    @CsvSource({
        "amqp://127.0.0.1:5672/salesync, salesync, 127.0.0.1:5672",
        "amqp://127.0.0.1:5672/%2F, /, 127.0.0.1:5672",
        "amqp://127.0.0.1:5672/, '', 127.0.0.1:5672",
        "amqp://rabbit, /, rabbit:5672",
        "amqps://rabbit/prod, prod, rabbit:5671",
        "amqp://rabbit:5673/test-1, test-1, rabbit:5673"
    })
    void vhostAndAddressComeFromTheUri(String uri, String vhost, String hostAndPort) {
        BrokerSettings settings = withUri(uri);

        assertThat(settings.virtualHost()).isEqualTo(vhost);
        assertThat(settings.hostAndPort()).isEqualTo(hostAndPort);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:5672/", "amqpx://rabbit/salesync"})
    void uriWithoutAnAmqpSchemeIsRefusedNamingTheKey(String uri) {
        assertThatThrownBy(() -> withUri(uri))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration value salesync.broker.uri=")
                .hasMessageEndingWith("must start with amqp:// or amqps://");
    }

    @Test
    void malformedUriIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> withUri("amqp://rabbit host/"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesync.broker.uri")
                .hasMessageEndingWith("is not a valid URI");
    }

    @Test
    void credentialsInTheUriAreRefusedPointingToTheirOwnKeys() {
        assertThatThrownBy(() -> withUri("amqp://guest:guest@127.0.0.1:5672/salesync"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesync.broker.uri")
                .hasMessageEndingWith(
                        "must not contain credentials; use salesync.broker.user and salesync.broker.password");
    }

    /** The refusal is printed and logged; it must not publish the very secret it refuses to accept. */
    @Test
    void refusalOfCredentialsInTheUriDoesNotRepeatThePassword() {
        assertThatThrownBy(() -> withUri("amqp://bo1:Tr0ub4dor@127.0.0.1:5672/salesync"))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("Tr0ub4dor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sales sync", "-salesync", "sales/sync", "sales*"})
    void prefixWithOtherCharactersIsRefusedNamingTheKey(String prefix) {
        assertThatThrownBy(() -> BrokerSettings.from(config(BrokerSettings.PREFIX, prefix)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesync.broker.prefix")
                .hasMessageEndingWith("may hold only letters, digits, '.', '_' and '-'");
    }

    @Test
    void addressesAreOptional() {
        assertThat(withUri("amqp://127.0.0.1:5672/salesync").nodes()).isEmpty();
        assertThat(BrokerSettings.from(config(BrokerSettings.ADDRESSES, "  ")).clustered())
                .isFalse();
    }

    @Test
    void addressesListTheNodesInOrderAndTheUriKeepsTheVhostAndScheme() {
        BrokerSettings settings = BrokerSettings.from(
                config(BrokerSettings.ADDRESSES, "rabbit-1:5672, rabbit-2.example.com:5673 ,10.0.0.3:5672,[::1]:5674"));

        assertThat(settings.nodes())
                .containsExactly(
                        new BrokerSettings.Node("rabbit-1", 5672),
                        new BrokerSettings.Node("rabbit-2.example.com", 5673),
                        new BrokerSettings.Node("10.0.0.3", 5672),
                        new BrokerSettings.Node("::1", 5674));
        assertThat(settings.clustered()).isTrue();
        assertThat(settings.hostAndPort())
                .isEqualTo("rabbit-1:5672,rabbit-2.example.com:5673,10.0.0.3:5672,[::1]:5674");
        assertThat(settings.virtualHost()).isEqualTo("salesync");
        assertThat(settings.tls()).isFalse();
    }

    @Test
    void aSingleAddressIsAListOfOne() {
        assertThat(BrokerSettings.from(config(BrokerSettings.ADDRESSES, "rabbit:5672"))
                        .nodes())
                .containsExactly(new BrokerSettings.Node("rabbit", 5672));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "rabbit-1:5672,rabbit-2:abc | rabbit-2:abc",
                "rabbit-1:5672,rabbit-2 | rabbit-2",
                "rabbit-1:0 | rabbit-1:0",
                "rabbit-1:65536 | rabbit-1:65536",
                "rabbit-1:5672:1 | rabbit-1:5672:1",
                ":5672 | :5672",
                "amqp://rabbit-1:5672 | amqp://rabbit-1:5672",
                "rabbit 1:5672 | rabbit 1:5672",
                "rabbit..1:5672 | rabbit..1:5672",
                "::1:5672 | ::1:5672",
                "[rabbit]:5672 | [rabbit]:5672"
            })
    void badAddressIsRefusedNamingTheKeyAndTheEntry(String value, String entry) {
        assertThatThrownBy(() -> BrokerSettings.from(config(BrokerSettings.ADDRESSES, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration value salesync.broker.addresses='" + value + "'")
                .hasMessageContaining(": '" + entry + "' is not host:port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rabbit-1:5672,,rabbit-2:5672", "rabbit-1:5672,", ",rabbit-1:5672"})
    void emptyEntryIsRefused(String value) {
        assertThatThrownBy(() -> BrokerSettings.from(config(BrokerSettings.ADDRESSES, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("salesync.broker.addresses")
                .hasMessageEndingWith("has an empty entry; list the nodes as host:port,host:port");
    }

    @Test
    void sameNodeTwiceIsRefused() {
        assertThatThrownBy(() -> BrokerSettings.from(
                        config(BrokerSettings.ADDRESSES, "rabbit-1:5672,rabbit-2:5672,rabbit-1:5672")))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("lists 'rabbit-1:5672' twice");
    }

    @Test
    void addressesWorkWithTls() {
        Map<String, String> values = new HashMap<>(Map.of(
                BrokerSettings.URI_KEY, "amqps://rabbit/salesync",
                BrokerSettings.USER, "bo1",
                BrokerSettings.PASSWORD, "s3cr3t",
                BrokerSettings.PREFIX, "salesync",
                BrokerSettings.ADDRESSES, "rabbit-1.example.com:5671,rabbit-2.example.com:5671"));

        BrokerSettings settings = BrokerSettings.from(ConfigSource.of(values));

        assertThat(settings.tls()).isTrue();
        assertThat(settings.nodes())
                .extracting(BrokerSettings.Node::host)
                .containsExactly("rabbit-1.example.com", "rabbit-2.example.com");
    }

    @Test
    void toStringNamesTheNodes() {
        assertThat(BrokerSettings.from(config(BrokerSettings.ADDRESSES, "rabbit-1:5672,rabbit-2:5672"))
                        .toString())
                .contains("addresses=rabbit-1:5672,rabbit-2:5672")
                .doesNotContain("s3cr3t");
    }

    @Test
    void toStringMasksThePassword() {
        assertThat(withUri("amqp://127.0.0.1:5672/salesync").toString())
                .contains("password=********")
                .doesNotContain("s3cr3t");
    }
}
