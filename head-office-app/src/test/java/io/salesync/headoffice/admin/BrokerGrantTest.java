package io.salesync.headoffice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.common.testing.ShippedPermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A provisioned branch's broker permissions are those rabbitmq/definitions.json gives bo1. */
class BrokerGrantTest {

    @ParameterizedTest
    @CsvSource({"salesync,bo1", "salesync,bo2", "salesync,north-1_b", "it-1234abcd,t0a1b2c3d"})
    void theGrantIsWhatTheShippedFileGivesBo1(String prefix, String branchId) {
        BrokerAdmin.Grant grant = BrokerAdmin.Grant.forBranch(prefix, branchId);
        ShippedPermissions.Grant shipped = ShippedPermissions.branch(prefix, branchId);

        assertThat(grant.configure()).isEqualTo(shipped.configure());
        assertThat(grant.write()).isEqualTo(shipped.write());
        assertThat(grant.read()).isEqualTo(shipped.read());
        assertThat(grant.topicExchange()).isEqualTo(shipped.topicExchange());
        assertThat(grant.topicWrite()).isEqualTo(shipped.topicWrite());
        assertThat(grant.topicRead()).isEqualTo(shipped.topicRead());
    }

    @Test
    void bo1sGrantIsLiterallyTheShippedOne() {
        BrokerAdmin.Grant grant = BrokerAdmin.Grant.forBranch("salesync", "bo1");

        assertThat(grant.write()).isEqualTo("^salesync\\.sales$");
        assertThat(grant.read()).isEqualTo("^salesync\\.control\\.bo1$");
        assertThat(grant.topicWrite()).isEqualTo("^sales\\.bo1$");
    }
}
