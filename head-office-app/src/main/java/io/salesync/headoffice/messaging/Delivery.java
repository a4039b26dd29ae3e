package io.salesync.headoffice.messaging;

import com.rabbitmq.client.AMQP;
import io.salesync.common.amqp.Topology;
import io.salesync.headoffice.model.DeadLetter;
import io.salesync.headoffice.service.IncomingChange.Verdict;
import java.time.Instant;

/**
 * A delivery as the client's dispatch thread checked it.
 *
 * @param body       null when it was too large to keep ({@code rejectOnly} then sends it to the
 *                   queue's own dead-letter exchange, bytes and all)
 * @param bodySize   its size in bytes, kept or not
 * @param rejectOnly reject without requeue instead of republishing it with its reason
 */
record Delivery(
        long tag,
        String routingKey,
        AMQP.BasicProperties properties,
        byte[] body,
        int bodySize,
        Verdict verdict,
        boolean rejectOnly) {

    /** Put in the delivery queue to wake the consumer thread (a lane committed, the consumer was cancelled). */
    static final Delivery WAKE = new Delivery(0, null, null, null, 0, null, false);

    /** The same delivery without its bytes, once they were republished. */
    Delivery withoutBody() {
        return new Delivery(tag, routingKey, properties, null, bodySize, verdict, rejectOnly);
    }

    /** What the dead-letter log records of it. */
    DeadLetter deadLetter(String reason, Instant at) {
        return new DeadLetter(
                at,
                routingKey,
                properties.getMessageId(),
                Topology.branchOf(routingKey),
                reason,
                body,
                properties.getContentType(),
                properties.getType());
    }
}
