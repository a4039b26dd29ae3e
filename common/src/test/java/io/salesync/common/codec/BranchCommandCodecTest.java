package io.salesync.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesync.common.event.BranchCommand;
import io.salesync.common.event.BranchMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The head office's requests to a branch, as they travel on the control exchange. */
class BranchCommandCodecTest {

    private static final Instant AT = Instant.parse("2026-11-27T09:12:03Z");

    private final SaleChangeCodec codec = new SaleChangeCodec();

    @Test
    void everyRequestSurvivesTheTripAndOnlyAResendCarriesItsFirstNumber() throws Exception {
        for (BranchCommand command : new BranchCommand[] {
            BranchCommand.of("bo1", BranchCommand.Action.CHECKPOINT, AT, "operator alice"),
            BranchCommand.of("bo1", BranchCommand.Action.RESYNC, AT, "head-office window"),
            BranchCommand.resend("bo1", 1288, AT, "head office (lost changes)")
        }) {
            byte[] body = codec.encode(command);

            assertThat(codec.decodeCommand(body)).isEqualTo(command);
            assertThat(new String(body, StandardCharsets.UTF_8).contains("fromSeq"))
                    .isEqualTo(command.action() == BranchCommand.Action.RESEND);
        }
    }

    @Test
    void aResendWithoutAFirstNumberInRangeIsRefused() {
        String resend = "{\"schemaVersion\":1,\"type\":\"branch.command\",\"branchId\":\"bo1\",\"action\":\"resend\","
                + "\"requestId\":\"5d1c8a3e-93b4-4f5e-a2c1-7e0b6f9d4a10\",\"requestedAt\":\"2026-11-27T09:12:03Z\","
                + "\"requestedBy\":\"head office\"";

        assertThatThrownBy(() -> codec.decodeCommand((resend + "}").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("missing field 'fromSeq'");
        assertThatThrownBy(() -> codec.decodeCommand((resend + ",\"fromSeq\":0}").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("field 'fromSeq' must be from 1 to " + BranchMessage.MAX_SEQ);
        assertThatThrownBy(() -> codec.decodeCommand(
                        (resend.replace("resend", "rewind") + "}").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("field 'action' must be 'checkpoint', 'resync' or 'resend', was 'rewind'");
    }

    @Test
    void aCommandCannotBeBuiltWithAFirstNumberThatDoesNotFitItsAction() {
        assertThatThrownBy(() -> BranchCommand.resend("bo1", 0, AT, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        new BranchCommand("bo1", BranchCommand.Action.RESYNC, java.util.UUID.randomUUID(), AT, "x", 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
