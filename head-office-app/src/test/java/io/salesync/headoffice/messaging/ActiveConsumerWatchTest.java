package io.salesync.headoffice.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.common.amqp.Topology;
import org.junit.jupiter.api.Test;

class ActiveConsumerWatchTest {

    private final ActiveConsumerWatch watch = new ActiveConsumerWatch(new Topology("salesync"), "ho", "42@host");

    @Test
    void aNewChannelStandsByUntilSomethingIsDelivered() {
        watch.opened();
        assertThat(watch.standingBy()).isTrue();
        watch.delivered();
        assertThat(watch.standingBy()).isFalse();
    }

    /**
     * A process frozen or cut off past the heartbeat timeout loses its connection, and RabbitMQ gives
     * the queue to a standing-by process: recovered, this one must not claim to consume until
     * something is delivered to it again.
     */
    @Test
    void aLostConnectionStandsByUntilSomethingIsDeliveredAgain() {
        watch.opened();
        watch.delivered();
        watch.lost();
        assertThat(watch.standingBy()).isTrue();
        watch.delivered();
        assertThat(watch.standingBy()).isFalse();
    }
}
