package io.salesync.headoffice.model;

import java.time.Instant;

/**
 * A message the consumer dead-lettered, with what is needed to publish it again.
 *
 * @param claimedBranch the branch its routing key names, may be null
 * @param body          the original body, may be null; the log keeps it only up to the size a
 *                      message may have
 * @param contentType   its content_type property, may be null
 * @param messageType   its type property, may be null
 */
public record DeadLetter(
        Instant at,
        String routingKey,
        String messageId,
        String claimedBranch,
        String reason,
        byte[] body,
        String contentType,
        String messageType) {

    /** A record without the message itself. */
    public DeadLetter(Instant at, String routingKey, String messageId, String claimedBranch, String reason) {
        this(at, routingKey, messageId, claimedBranch, reason, null, null, null);
    }
}
