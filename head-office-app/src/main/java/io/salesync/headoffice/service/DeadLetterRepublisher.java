package io.salesync.headoffice.service;

/**
 * Publishes a refused message again to the sales exchange with its original routing key, and
 * returns only once the broker confirmed it. Implemented by the messaging layer.
 */
@FunctionalInterface
public interface DeadLetterRepublisher {

    /**
     * @throws RepublishException when the broker did not confirm the message
     */
    void republish(RetryMessage message);

    /** What is published again: the original body and the properties the head office checks. */
    record RetryMessage(
            long deadLetterId,
            String routingKey,
            String messageId,
            String contentType,
            String messageType,
            byte[] body) {}

    /** The broker did not take the message; the sentence says why. */
    final class RepublishException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public RepublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
