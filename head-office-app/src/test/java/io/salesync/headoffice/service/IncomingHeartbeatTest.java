package io.salesync.headoffice.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.common.codec.HeartbeatCodec;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.BranchHeartbeat;
import io.salesync.headoffice.service.IncomingChange.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A branch's heartbeat at the head office: checked like a change, handed over, never applied. */
class IncomingHeartbeatTest {

    private static final BranchHeartbeat BEAT =
            new BranchHeartbeat("bo1", Instant.parse("2026-11-26T09:15:30Z"), 42, 3, 30);

    private final List<BranchHeartbeat> recorded = new ArrayList<>();
    private final IncomingChange incoming = new IncomingChange(new SaleChangeCodec(), "ho", recorded::add);
    private final byte[] body = new HeartbeatCodec().encode(BEAT);

    @Test
    void aHeartbeatFromItsBranchIsHandedOverAndAcknowledgedWithoutBeingApplied() {
        Verdict verdict = incoming.check(body, "sales.bo1", BranchHeartbeat.MESSAGE_TYPE, "bo1");

        assertThat(verdict.heartbeat()).isTrue();
        assertThat(verdict.accepted()).as("nothing to apply").isFalse();
        assertThat(verdict.reason()).isNull();
        assertThat(recorded).containsExactly(BEAT);
    }

    @Test
    void aHeartbeatForAnotherBranchIsRefused() {
        Verdict verdict = incoming.check(body, "sales.bo2", BranchHeartbeat.MESSAGE_TYPE, "bo2");

        assertThat(verdict.heartbeat()).isFalse();
        assertThat(verdict.reason()).isEqualTo("heartbeat claims branch 'bo1' but was routed as branch 'bo2'");
        assertThat(recorded).isEmpty();
    }

    @Test
    void aHeartbeatSentByAnotherBranchsUserIsRefused() {
        Verdict verdict = incoming.check(body, "sales.bo1", BranchHeartbeat.MESSAGE_TYPE, "bo2");

        assertThat(verdict.reason()).contains("a branch may speak only for itself");
        assertThat(recorded).isEmpty();
    }

    @Test
    void aMalformedHeartbeatIsRefusedWithTheFieldNamed() {
        byte[] bad = new String(body, StandardCharsets.UTF_8)
                .replace("\"unconfirmed\":3", "\"unconfirmed\":43")
                .getBytes(StandardCharsets.UTF_8);

        Verdict verdict = incoming.check(bad, "sales.bo1", BranchHeartbeat.MESSAGE_TYPE, "bo1");

        assertThat(verdict.heartbeat()).isFalse();
        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).startsWith("field 'unconfirmed' must be from 0 to lastSeq (42)");
        assertThat(recorded).isEmpty();
    }

    @Test
    void aHeartbeatBodyWithoutItsTypePropertyIsRefused() {
        Verdict verdict = incoming.check(body, "sales.bo1", null, "bo1");

        assertThat(verdict.heartbeat()).isFalse();
        assertThat(verdict.reason()).as("decoded as a change, which it is not").isNotNull();
        assertThat(recorded).isEmpty();
    }
}
