package io.salesync.headoffice.service;

import io.salesync.common.amqp.Topology;
import io.salesync.common.codec.HeartbeatCodec;
import io.salesync.common.codec.MessageFormatException;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.common.event.BranchCheckpoint;
import io.salesync.common.event.BranchHeartbeat;
import io.salesync.common.event.BranchMessage;
import io.salesync.common.event.ResyncMarker;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.SaleValidator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Decides whether a delivered message is one the head office may apply (a sale change, a checkpoint
 * or a resync marker) or record (a branch's heartbeat, type property {@code branch.heartbeat}): it must decode, a sale must obey the rules, and the branch it claims must be the one its routing key names and the
 * one that sent it. The sender is the {@code user_id} property, which the broker has checked against
 * the authenticated user: a branch's broker user is named after the branch. Only the head office's
 * own user may speak for any branch (it republishes dead letters once their cause is fixed).
 * Pure logic; the consumer dead-letters whatever is refused, with {@link Verdict#reason()}.
 */
public final class IncomingChange {

    /**
     * Either a message to apply, or the reason it is refused, or a heartbeat (a head-office
     * process's, which only tells its receiver that it is the active consumer, or a branch's, already
     * handed to the heartbeat listener): acknowledged, never applied.
     */
    public record Verdict(BranchMessage message, String reason, boolean heartbeat) {

        private static final Verdict HEARTBEAT = new Verdict(null, null, true);

        public Verdict(BranchMessage message, String reason) {
            this(message, reason, false);
        }

        public boolean accepted() {
            return message != null;
        }
    }

    private static final Set<String> KNOWN_TYPES = Set.of(
            SaleChange.MESSAGE_TYPE,
            BranchCheckpoint.MESSAGE_TYPE,
            ResyncMarker.MESSAGE_TYPE,
            BranchHeartbeat.MESSAGE_TYPE);

    private final SaleChangeCodec codec;
    private final HeartbeatCodec heartbeatCodec = new HeartbeatCodec();
    private final String headOfficeUser;
    private final Consumer<BranchHeartbeat> heartbeats;

    /** @param headOfficeUser the head office's own broker user */
    public IncomingChange(SaleChangeCodec codec, String headOfficeUser) {
        this(codec, headOfficeUser, heartbeat -> {});
    }

    /**
     * @param headOfficeUser the head office's own broker user
     * @param heartbeats     takes each accepted branch heartbeat; must not block (it runs on the
     *                       client's dispatch thread)
     */
    public IncomingChange(SaleChangeCodec codec, String headOfficeUser, Consumer<BranchHeartbeat> heartbeats) {
        this.codec = codec;
        this.headOfficeUser = headOfficeUser;
        this.heartbeats = heartbeats;
    }

    /**
     * @param body       the message body
     * @param routingKey the routing key it was published with
     * @param type       its AMQP type property, may be null
     * @param userId     its AMQP user_id property (checked by the broker), may be null
     */
    public Verdict check(byte[] body, String routingKey, String type, String userId) {
        if (Topology.HEARTBEAT_ROUTING_KEY.equals(routingKey)) {
            return headOfficeUser.equals(userId)
                    ? Verdict.HEARTBEAT
                    : refused("a head-office heartbeat from broker user '" + userId
                            + "': only the head office's own user sends them");
        }
        if (type != null && !KNOWN_TYPES.contains(type)) {
            return refused("unknown message type property '" + type + "'");
        }
        String routedBranch = Topology.branchOf(routingKey);
        if (routedBranch == null) {
            return refused("routing key '" + routingKey + "' does not name a branch");
        }
        if (userId == null) {
            return refused("no user_id: the sender cannot be told; a branch sets it to its broker user");
        }
        if (!userId.equals(routedBranch) && !userId.equals(headOfficeUser)) {
            return refused("sent by broker user '" + userId + "' but routed as branch '" + routedBranch
                    + "': a branch may speak only for itself");
        }
        if (BranchHeartbeat.MESSAGE_TYPE.equals(type)) {
            return heartbeat(body, routedBranch);
        }
        BranchMessage message;
        try {
            message = codec.decodeMessage(body);
        } catch (MessageFormatException e) {
            return refused(e.getMessage());
        }
        if (type != null && !type.equals(message.messageType())) {
            return refused("type property '" + type + "' contradicts the body's type '" + message.messageType() + "'");
        }
        if (!routedBranch.equals(message.branchId())) {
            return refused("message claims branch '" + message.branchId() + "' but was routed as branch '"
                    + routedBranch + "'");
        }
        if (message instanceof SaleChange change) {
            List<String> problems = SaleValidator.problemsOf(change.sale());
            if (!problems.isEmpty()) {
                return refused("invalid sale " + change.sale().id() + ": " + String.join("; ", problems));
            }
        }
        return new Verdict(message, null);
    }

    /** A branch's heartbeat: checked like a change, handed over, and acknowledged without being applied. */
    private Verdict heartbeat(byte[] body, String routedBranch) {
        BranchHeartbeat heartbeat;
        try {
            heartbeat = heartbeatCodec.decode(body);
        } catch (MessageFormatException e) {
            return refused(e.getMessage());
        }
        if (!routedBranch.equals(heartbeat.branchId())) {
            return refused("heartbeat claims branch '" + heartbeat.branchId() + "' but was routed as branch '"
                    + routedBranch + "'");
        }
        heartbeats.accept(heartbeat);
        return Verdict.HEARTBEAT;
    }

    private static Verdict refused(String reason) {
        return new Verdict(null, reason);
    }
}
