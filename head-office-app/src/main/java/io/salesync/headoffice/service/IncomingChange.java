package io.salesync.headoffice.service;

import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.MessageFormatException;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.SaleValidator;
import java.util.List;

/**
 * Decides whether a delivered message is a change the head office may apply: it must decode, its
 * sale must obey the rules, and the branch it claims must be the one its routing key names.
 * Pure logic; the consumer dead-letters whatever is refused, with {@link Verdict#reason()}.
 */
public final class IncomingChange {

    /** Either a change to apply or the reason it is refused. */
    public record Verdict(SaleChange change, String reason) {

        public boolean accepted() {
            return change != null;
        }
    }

    private final SaleChangeCodec codec;

    public IncomingChange(SaleChangeCodec codec) {
        this.codec = codec;
    }

    /**
     * @param body       the message body
     * @param routingKey the routing key it was published with
     * @param type       its AMQP type property, may be null
     */
    public Verdict check(byte[] body, String routingKey, String type) {
        if (type != null && !SaleChange.MESSAGE_TYPE.equals(type)) {
            return refused("unknown message type property '" + type + "'");
        }
        String routedBranch = Topology.branchOf(routingKey);
        if (routedBranch == null) {
            return refused("routing key '" + routingKey + "' does not name a branch");
        }
        SaleChange change;
        try {
            change = codec.decode(body);
        } catch (MessageFormatException e) {
            return refused(e.getMessage());
        }
        if (!routedBranch.equals(change.branchId())) {
            return refused("message claims branch '" + change.branchId() + "' but was routed as branch '" + routedBranch + "'");
        }
        List<String> problems = SaleValidator.problemsOf(change.sale());
        if (!problems.isEmpty()) {
            return refused("invalid sale " + change.sale().id() + ": " + String.join("; ", problems));
        }
        return new Verdict(change, null);
    }

    private static Verdict refused(String reason) {
        return new Verdict(null, reason);
    }
}
