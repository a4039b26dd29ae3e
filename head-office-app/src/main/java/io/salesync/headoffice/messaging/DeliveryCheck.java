package io.salesync.headoffice.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import io.salesync.common.codec.SaleChangeCodec;
import io.salesync.headoffice.service.IncomingChange;
import io.salesync.headoffice.service.IncomingChange.Verdict;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks each delivery on the client's dispatch thread, so that decoding the next messages overlaps
 * the database work on the current batch. A body over {@link SaleChangeCodec#MAX_BODY_BYTES} is not
 * parsed; its bytes are kept to dead-letter it with its reason only while fewer than
 * {@link #OVERSIZED_BODIES_HELD} bytes of such bodies wait, beyond that it is rejected without them,
 * so that a flood of large messages cannot exhaust memory.
 */
final class DeliveryCheck {

    static final long OVERSIZED_BODIES_HELD = 8L << 20;
    private static final Logger log = LoggerFactory.getLogger(DeliveryCheck.class);

    private final IncomingChange incoming;
    private final AtomicLong oversizedHeld = new AtomicLong();

    DeliveryCheck(IncomingChange incoming) {
        this.incoming = incoming;
    }

    /** Dispatch thread: the delivery, decoded and checked; a check that fails unexpectedly refuses it. */
    Delivery check(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        String routingKey = envelope.getRoutingKey();
        if (body.length > SaleChangeCodec.MAX_BODY_BYTES) {
            boolean keep = oversizedHeld.addAndGet(body.length) <= OVERSIZED_BODIES_HELD;
            if (!keep) {
                oversizedHeld.addAndGet(-body.length);
            }
            return new Delivery(
                    envelope.getDeliveryTag(),
                    routingKey,
                    properties,
                    keep ? body : null,
                    body.length,
                    new Verdict(
                            null,
                            "body of " + body.length + " bytes exceeds the limit of " + SaleChangeCodec.MAX_BODY_BYTES),
                    !keep);
        }
        Verdict verdict;
        try {
            verdict = incoming.check(body, routingKey, properties.getType(), properties.getUserId());
        } catch (RuntimeException e) {
            log.error("Checking message {} from {} failed", properties.getMessageId(), routingKey, e);
            verdict = new Verdict(null, "could not be checked: " + e);
        }
        return new Delivery(envelope.getDeliveryTag(), routingKey, properties, body, body.length, verdict, false);
    }

    /**
     * Consumer thread: the delivery without the bytes of an oversized body, once it was republished;
     * they no longer count against the budget.
     */
    Delivery release(Delivery delivery) {
        if (delivery.body() == null || delivery.bodySize() <= SaleChangeCodec.MAX_BODY_BYTES) {
            return delivery;
        }
        oversizedHeld.addAndGet(-delivery.bodySize());
        return delivery.withoutBody();
    }

    /** A new channel: what the old one delivered is dropped. */
    void reset() {
        oversizedHeld.set(0);
    }
}
