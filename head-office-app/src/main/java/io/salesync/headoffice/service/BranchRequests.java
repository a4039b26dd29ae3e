package io.salesync.headoffice.service;

import io.salesync.common.event.BranchCommand;

/**
 * Sends a request to one branch (checkpoint now, or resync) and returns once the broker has it
 * safely queued for that branch, which carries it out when it next runs. Implemented by the
 * messaging layer.
 */
@FunctionalInterface
public interface BranchRequests {

    /**
     * @throws RequestException when the broker did not take the request
     */
    void send(BranchCommand command);

    /** The request did not reach the broker; the sentence says why. */
    final class RequestException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public RequestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
