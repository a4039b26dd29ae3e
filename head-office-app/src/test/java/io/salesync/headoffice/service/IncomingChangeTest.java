package io.salesync.headoffice.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.TaxRate;
import io.salesync.headoffice.service.IncomingChange.Verdict;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IncomingChangeTest {

    private static final UUID ID = UUID.fromString("3f2b8c1e-7d4a-4e5b-9c6d-0a1b2c3d4e5f");
    private static final Instant AT = Instant.parse("2026-11-26T09:15:30Z");
    private static final SaleInput THREE_WIDGETS =
            new SaleInput(LocalDate.of(2026, 11, 26), "North", "Widget", 3, new BigDecimal("12.50"));

    private final SaleChangeCodec codec = new SaleChangeCodec();
    private static final String HEAD_OFFICE_USER = "ho";

    private final IncomingChange incoming = new IncomingChange(codec, HEAD_OFFICE_USER);

    private static SaleChange change(String branchId) {
        return SaleChange.of(7, AT, Sale.create(ID, branchId, THREE_WIDGETS, TaxRate.of("0.08")));
    }

    /** As the branch the routing key names would send it. */
    private Verdict checkFromItsBranch(byte[] body, String routingKey, String type) {
        return incoming.check(body, routingKey, type, io.salesync.common.amqp.Topology.branchOf(routingKey));
    }

    private byte[] body(SaleChange change) {
        return codec.encode(change);
    }

    @Test
    void validChangeFromItsOwnRoutingKeyIsAccepted() {
        SaleChange change = change("bo1");

        Verdict verdict = checkFromItsBranch(body(change), "sales.bo1", SaleChange.MESSAGE_TYPE);

        assertThat(verdict.accepted()).isTrue();
        assertThat(verdict.message()).isEqualTo(change);
        assertThat(verdict.reason()).isNull();
    }

    @Test
    void missingTypePropertyIsTolerated() {
        assertThat(checkFromItsBranch(body(change("bo1")), "sales.bo1", null).accepted())
                .isTrue();
    }

    @Test
    void deletionIsAccepted() {
        SaleChange deletion = SaleChange.of(8, AT, change("bo1").sale().markDeleted());

        assertThat(checkFromItsBranch(body(deletion), "sales.bo1", SaleChange.MESSAGE_TYPE)
                        .message())
                .isEqualTo(deletion);
    }

    @Test
    void wrongTypePropertyIsRefused() {
        Verdict verdict = checkFromItsBranch(body(change("bo1")), "sales.bo1", "order.created");

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).isEqualTo("unknown message type property 'order.created'");
    }

    @Test
    void routingKeyThatNamesNoBranchIsRefused() {
        Verdict verdict = checkFromItsBranch(body(change("bo1")), "orders.bo1", SaleChange.MESSAGE_TYPE);

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).isEqualTo("routing key 'orders.bo1' does not name a branch");
    }

    @Test
    void branchClaimedInTheBodyMustBeTheRoutedBranch() {
        Verdict verdict = checkFromItsBranch(body(change("bo1")), "sales.bo2", SaleChange.MESSAGE_TYPE);

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).isEqualTo("message claims branch 'bo1' but was routed as branch 'bo2'");
    }

    @Test
    void saleWithWrongArithmeticIsRefusedNamingTheSaleAndTheRule() {
        Sale overcharged = new Sale(
                ID,
                "bo1",
                THREE_WIDGETS.date(),
                "North",
                "Widget",
                3,
                new BigDecimal("12.50"),
                new BigDecimal("375.00"),
                new BigDecimal("30.00"),
                new BigDecimal("405.00"),
                1,
                false);

        Verdict verdict =
                checkFromItsBranch(body(SaleChange.of(7, AT, overcharged)), "sales.bo1", SaleChange.MESSAGE_TYPE);

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).isEqualTo("invalid sale " + ID + ": Amt 375.00 is not Qty x Cost");
    }

    @Test
    void saleBreakingAClerkRuleIsRefusedWithTheField() {
        Sale noQty = new Sale(
                ID,
                "bo1",
                THREE_WIDGETS.date(),
                "North",
                "Widget",
                0,
                new BigDecimal("12.50"),
                new BigDecimal("0.00"),
                new BigDecimal("0.00"),
                new BigDecimal("0.00"),
                1,
                false);

        Verdict verdict = checkFromItsBranch(body(SaleChange.of(7, AT, noQty)), "sales.bo1", SaleChange.MESSAGE_TYPE);

        assertThat(verdict.reason()).isEqualTo("invalid sale " + ID + ": Qty: must be a whole number from 1 to 100000");
    }

    @Test
    void invalidBranchIdIsRefusedEvenWhenRoutedConsistently() {
        Verdict verdict = checkFromItsBranch(body(change("BO1")), "sales.BO1", SaleChange.MESSAGE_TYPE);

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason())
                .isEqualTo("field 'branchId' must be 1 to 32 of a-z, 0-9, '-' and '_', starting with a letter"
                        + " or digit, was 'BO1'");
    }

    @Test
    void undecodableBodyIsRefusedWithTheDecoderReason() {
        Verdict verdict = checkFromItsBranch(
                "DROP TABLE sale".getBytes(StandardCharsets.UTF_8), "sales.bo1", SaleChange.MESSAGE_TYPE);

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).startsWith("not valid JSON: ");
    }

    @Test
    void bodyMissingAFieldIsRefusedNamingTheField() {
        String json = new String(body(change("bo1")), StandardCharsets.UTF_8).replace("\"qty\":3,", "");

        Verdict verdict =
                checkFromItsBranch(json.getBytes(StandardCharsets.UTF_8), "sales.bo1", SaleChange.MESSAGE_TYPE);

        assertThat(verdict.reason()).isEqualTo("missing field 'sale.qty'");
    }

    @Test
    void aBranchCannotSpeakForAnotherBranch() {
        Verdict verdict = incoming.check(body(change("bo2")), "sales.bo2", SaleChange.MESSAGE_TYPE, "bo1");

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason())
                .isEqualTo("sent by broker user 'bo1' but routed as branch 'bo2': a branch may speak only for itself");
    }

    @Test
    void aMessageWithoutUserIdIsRefused() {
        Verdict verdict = incoming.check(body(change("bo1")), "sales.bo1", SaleChange.MESSAGE_TYPE, null);

        assertThat(verdict.reason()).startsWith("no user_id");
    }

    @Test
    void theHeadOfficeUserMayRepublishForAnyBranch() {
        assertThat(incoming.check(body(change("bo2")), "sales.bo2", SaleChange.MESSAGE_TYPE, HEAD_OFFICE_USER)
                        .accepted())
                .isTrue();
    }
}
