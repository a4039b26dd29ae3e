package io.salesync.headoffice.model;

import java.time.Instant;

/**
 * A message the consumer refused, as the dead-letter view lists it.
 *
 * @param status      {@code new}, {@code retried} or {@code discarded}
 * @param bodyPreview the start of the body as text (at most a few KiB), or null when it was not kept
 * @param bodySize    size of the original body in bytes, or -1 when unknown
 */
public record DeadLetterEntry(
        long id,
        Instant receivedAt,
        String routingKey,
        String messageId,
        String claimedBranch,
        String reason,
        String status,
        String bodyPreview,
        int bodySize) {

    public static final String NEW = "new";
    public static final String RETRIED = "retried";
    public static final String DISCARDED = "discarded";

    /** Only a message not handled yet, whose body was kept, can be published again. */
    public boolean retryable() {
        return NEW.equals(status) && bodyPreview != null;
    }

    public boolean open() {
        return NEW.equals(status);
    }
}
