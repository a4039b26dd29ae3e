package io.salesync.common.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopologyTest {

    @Test
    void branchPublishesUnderSalesDotItsId() {
        assertThat(Topology.routingKey("bo1")).isEqualTo("sales.bo1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bo1", "north-2", "b_3"})
    void routingKeyLeadsBackToItsBranch(String branchId) {
        assertThat(Topology.branchOf(Topology.routingKey(branchId))).isEqualTo(branchId);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "orders.bo1", "sales", "SALES.bo1", "bo1"})
    void keyThatIsNotASalesKeyNamesNoBranch(String routingKey) {
        assertThat(Topology.branchOf(routingKey)).isNull();
    }

    @Test
    void everyNameComesFromThePrefix() {
        Topology topology = new Topology("test-42");

        assertThat(topology.salesExchange()).isEqualTo("test-42.sales");
        assertThat(topology.salesQueue()).isEqualTo("test-42.ho.changes");
        assertThat(topology.legacySalesQueue()).isEqualTo("test-42.ho.sales");
        assertThat(topology.deadLetterExchange()).isEqualTo("test-42.dlx");
        assertThat(topology.deadLetterQueue()).isEqualTo("test-42.ho.dead-letters");
        assertThat(topology.legacyDeadLetterQueue()).isEqualTo("test-42.ho.dead-letter");
    }
}
