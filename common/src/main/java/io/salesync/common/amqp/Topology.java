package io.salesync.common.amqp;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.Map;

/**
 * The exchanges, queues and bindings salesync uses, all named from one prefix.
 *
 * <pre>
 * branch --(routing key sales.&lt;branch&gt;)--&gt; [prefix.sales, topic]
 *        --(sales.*, ho.heartbeat)--&gt; (prefix.ho.changes, quorum, single active consumer,
 *                                       delivery limit, DLX prefix.dlx)
 * poison --&gt; [prefix.dlx, fanout] --&gt; (prefix.ho.dead-letters, quorum)
 * head office --(routing key &lt;branch&gt;)--&gt; [prefix.control, direct]
 *        --(&lt;branch&gt;)--&gt; (prefix.control.&lt;branch&gt;, quorum) --&gt; that branch
 * </pre>
 *
 * Only the head office declares: everything on its channels ({@link #declare}), and a branch's
 * control queue with its binding ({@link #declareControlQueue}) when it first hears from the branch
 * and before it sends the branch a request. Declaring is idempotent. A branch's broker user may
 * configure nothing (least privilege: it could otherwise delete the shared sales exchange, or bind
 * its queue to another branch's requests); it only checks, with passive declarations that need no
 * permission, that what it uses exists ({@link #declareForBranch}, {@link #checkControlQueue}), and
 * waits while it does not. Until the head office has run once, a branch's changes therefore stay
 * in its outbox, safe.
 *
 * <p>The head office's queue has a single active consumer: any number of head-office processes
 * consume it, RabbitMQ delivers to one of them, and hands over to the next when it goes. Each
 * process publishes a heartbeat to the queue ({@link #HEARTBEAT_ROUTING_KEY}); only the active
 * one receives them, which is how each process knows whether it is the active one. Earlier versions
 * named the queue {@link #legacySalesQueue()}, without a single active consumer; a queue's arguments
 * cannot change, so a head office that finds it drains it and deletes it.
 */
public final class Topology {

    /**
     * Deliveries after which the broker dead-letters a message the consumer keeps failing on. The
     * consumer never requeues by itself, so only crashes and restarts in the middle of a batch count;
     * the limit is high enough that a head office restarted many times during an outage loses nothing.
     */
    public static final int DELIVERY_LIMIT = 50;

    /** Deliveries of a dead letter before RabbitMQ drops it: never, in practice. */
    public static final int DEAD_LETTER_DELIVERY_LIMIT = 1_000_000;

    /** The routing key of the head-office processes' heartbeats; only the head office's user may publish it. */
    public static final String HEARTBEAT_ROUTING_KEY = "ho.heartbeat";

    /** The routing keys of the branches' changes. */
    public static final String SALES_BINDING = "sales.*";

    private static final Map<String, Object> CONTROL_QUEUE = Map.of("x-queue-type", "quorum");

    private final String prefix;

    public Topology(String prefix) {
        this.prefix = prefix;
    }

    public String salesExchange() {
        return prefix + ".sales";
    }

    /** The head office's queue of the branches' changes. */
    public String salesQueue() {
        return prefix + ".ho.changes";
    }

    /** The head office's queue of earlier versions, drained and deleted by the head office that finds it. */
    public String legacySalesQueue() {
        return prefix + ".ho.sales";
    }

    public String deadLetterExchange() {
        return prefix + ".dlx";
    }

    public String deadLetterQueue() {
        return prefix + ".ho.dead-letters";
    }

    /**
     * The dead-letter queue of earlier versions, a classic queue (it lives on one node only): taken
     * out of the dead-letter exchange by the head office that finds it, and left for the operator
     * to look through and delete.
     */
    public String legacyDeadLetterQueue() {
        return prefix + ".ho.dead-letter";
    }
    /** Where the head office sends requests to branches (checkpoint now, resync). */
    public String controlExchange() {
        return prefix + ".control";
    }

    /** The queue one branch reads the head office's requests from. */
    public String controlQueue(String branchId) {
        return prefix + ".control." + branchId;
    }

    /** The routing key a branch publishes its changes with. */
    public static String routingKey(String branchId) {
        return "sales." + branchId;
    }

    /** The branch a routing key speaks for, or null when it is not a sales routing key. */
    public static String branchOf(String routingKey) {
        return routingKey != null && routingKey.startsWith("sales.") && routingKey.length() > "sales.".length()
                ? routingKey.substring("sales.".length())
                : null;
    }

    /**
     * What a branch does on a channel it is about to publish on: checks, with a passive declaration
     * (no configure permission needed), that the sales exchange exists. Declares nothing, in spite
     * of its name: a branch's broker user may not.
     *
     * @throws TopologyMissingException when the head office has not declared the exchange yet (it
     *                                  does when it first runs); the broker has closed the channel
     * @throws IOException              when the check itself fails (connection lost, say)
     */
    public void declareForBranch(Channel channel) throws IOException {
        try {
            channel.exchangeDeclarePassive(salesExchange());
        } catch (IOException e) {
            if (TopologyMissingException.isNotFound(e)) {
                throw new TopologyMissingException(
                        salesExchange(),
                        "the exchange " + salesExchange()
                                + " does not exist yet: the head office creates it when it first runs, and until then"
                                + " changes wait in the outbox",
                        e);
            }
            throw e;
        }
    }

    /**
     * What a branch does before it reads its requests: checks, with a passive declaration (no
     * configure permission needed), that its control queue exists.
     *
     * @throws TopologyMissingException when the head office has not created the queue yet (it does
     *                                  when it first hears from the branch, or before it sends the
     *                                  branch a request); the broker has closed the channel
     * @throws IOException              when the check itself fails (connection lost, say)
     */
    public void checkControlQueue(Channel channel, String branchId) throws IOException {
        try {
            channel.queueDeclarePassive(controlQueue(branchId));
        } catch (IOException e) {
            if (TopologyMissingException.isNotFound(e)) {
                throw new TopologyMissingException(
                        controlQueue(branchId),
                        "the queue " + controlQueue(branchId)
                                + " does not exist yet: the head office creates it when it first hears from branch "
                                + branchId
                                + ", or before it sends the branch a request",
                        e);
            }
            throw e;
        }
    }

    /**
     * Head office only: declares branch {@code branchId}'s control queue and binds it to the control
     * exchange with the branch's id (declaring the exchange too, so any channel will do). Called
     * when the head office first hears from a branch and before it sends a branch a request, so
     * that the branch's listener finds its queue and a request waits there even for a branch that
     * is not running. Safe to call any number of times.
     *
     * <p>A quorum queue, replicated like the head office's own, so that a request waits for its
     * branch through the loss of a node of a cluster. Earlier versions declared classic queues, and
     * a queue's type cannot change: an empty one is deleted and declared again as a quorum queue; one
     * that still holds requests is kept until its branch has taken them. The declarations run on
     * channels of their own, so that a refusal does not close {@code channel}.
     *
     * @return false when a classic queue of an earlier version was kept because it holds requests
     */
    public boolean declareControlQueue(Channel channel, String branchId) throws IOException {
        channel.exchangeDeclare(controlExchange(), BuiltinExchangeType.DIRECT, true);
        String queue = controlQueue(branchId);
        Connection connection = channel.getConnection();
        boolean replicated = true;
        if (Probe.refusal(connection, probe -> probe.queueDeclare(queue, true, false, false, CONTROL_QUEUE)) != 0) {
            // a classic queue of an earlier version: replaced when empty (if-empty is refused otherwise)
            replicated = Probe.refusal(connection, probe -> probe.queueDelete(queue, false, true)) == 0;
            if (replicated) {
                Probe.require(connection, probe -> probe.queueDeclare(queue, true, false, false, CONTROL_QUEUE));
            }
        }
        channel.queueBind(queue, controlExchange(), branchId);
        return replicated;
    }

    /** Declares everything (the head office does); safe to call any number of times. */
    public void declare(Channel channel) throws IOException {
        declareSales(channel);
        declareDeadLetters(channel);
    }

    /**
     * The exchanges and the head office's queue, which the head office consumes: what it cannot
     * work without.
     */
    public void declareSales(Channel channel) throws IOException {
        channel.exchangeDeclare(controlExchange(), BuiltinExchangeType.DIRECT, true);
        channel.exchangeDeclare(salesExchange(), BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(deadLetterExchange(), BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(
                salesQueue(),
                true,
                false,
                false,
                Map.of(
                        "x-queue-type",
                        "quorum",
                        "x-single-active-consumer",
                        true,
                        "x-dead-letter-exchange",
                        deadLetterExchange(),
                        "x-delivery-limit",
                        DELIVERY_LIMIT));
        channel.queueBind(salesQueue(), salesExchange(), SALES_BINDING);
        channel.queueBind(salesQueue(), salesExchange(), HEARTBEAT_ROUTING_KEY);
    }

    /**
     * The dead-letter queue, bound to the dead-letter exchange. A quorum queue, replicated like the
     * head office's own, so that the loss of one node of a cluster does not take it away; its
     * delivery limit is so high that an operator who looks at a message and puts it back never
     * loses it (RabbitMQ 4 gives quorum queues a limit of 20 otherwise).
     */
    public void declareDeadLetters(Channel channel) throws IOException {
        channel.queueDeclare(
                deadLetterQueue(),
                true,
                false,
                false,
                Map.of("x-queue-type", "quorum", "x-delivery-limit", DEAD_LETTER_DELIVERY_LIMIT));
        channel.queueBind(deadLetterQueue(), deadLetterExchange(), "");
    }
}
