package io.salesync.common.amqp;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;

/**
 * The exchanges, queues and bindings salesync uses, all named from one prefix.
 *
 * <pre>
 * branch --(routing key sales.&lt;branch&gt;)--&gt; [prefix.sales, topic]
 *        --(sales.*)--&gt; (prefix.ho.sales, quorum, delivery limit, DLX prefix.dlx)
 * poison --&gt; [prefix.dlx, fanout] --&gt; (prefix.ho.dead-letter, classic durable)
 * head office --(routing key &lt;branch&gt;)--&gt; [prefix.control, direct]
 *        --(&lt;branch&gt;)--&gt; (prefix.control.&lt;branch&gt;, classic durable) --&gt; that branch
 * </pre>
 *
 * Declaring is idempotent. The head office declares everything, and a branch's control queue when
 * it sends the branch a command; a branch, which may configure nothing else (least privilege),
 * declares only the sales exchange it publishes to and its own control queue. Until the head
 * office has run once its queue does not exist, so a branch's mandatory messages come back
 * unroutable and stay in the branch's outbox, safe, until it does.
 */
public final class Topology {

    /**
     * Deliveries after which the broker dead-letters a message the consumer keeps failing on. The
     * consumer never requeues by itself, so only crashes and restarts in the middle of a batch count;
     * the limit is high enough that a head office restarted many times during an outage loses nothing.
     */
    public static final int DELIVERY_LIMIT = 50;

    private final String prefix;

    public Topology(String prefix) {
        this.prefix = prefix;
    }

    public String salesExchange() {
        return prefix + ".sales";
    }

    public String salesQueue() {
        return prefix + ".ho.sales";
    }

    public String deadLetterExchange() {
        return prefix + ".dlx";
    }

    public String deadLetterQueue() {
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
                ? routingKey.substring("sales.".length()) : null;
    }

    /** What a branch declares: the sales exchange only. */
    public void declareForBranch(Channel channel) throws IOException {
        channel.exchangeDeclare(salesExchange(), BuiltinExchangeType.TOPIC, true);
    }

    /**
     * What a branch declares to hear the head office: its control queue, bound to the control
     * exchange. Fails while the exchange does not exist (the head office has never run).
     */
    public void declareControlQueue(Channel channel, String branchId) throws IOException {
        channel.queueDeclare(controlQueue(branchId), true, false, false, Map.of("x-queue-type", "classic"));
        channel.queueBind(controlQueue(branchId), controlExchange(), branchId);
    }

    /** Declares everything (the head office does); safe to call any number of times. */
    public void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(controlExchange(), BuiltinExchangeType.DIRECT, true);
        channel.exchangeDeclare(salesExchange(), BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(deadLetterExchange(), BuiltinExchangeType.FANOUT, true);
        // Classic and durable: a quorum queue would apply a delivery limit (RabbitMQ 4 sets one by
        // default) and could drop what an operator inspects and requeues there.
        channel.queueDeclare(deadLetterQueue(), true, false, false, Map.of("x-queue-type", "classic"));
        channel.queueBind(deadLetterQueue(), deadLetterExchange(), "");
        channel.queueDeclare(salesQueue(), true, false, false, Map.of(
                "x-queue-type", "quorum",
                "x-dead-letter-exchange", deadLetterExchange(),
                "x-delivery-limit", DELIVERY_LIMIT));
        channel.queueBind(salesQueue(), salesExchange(), "sales.*");
    }
}
