package io.salesync.branch.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The head office's requests to send rows again, waiting for the relay thread, which alone may
 * take the rows' confirmations back and start over. Any thread asks; the relay thread answers.
 */
final class ResendRequests {

    /** A request to send the rows from {@code fromSeq} on again. */
    record Request(long fromSeq, CompletableFuture<Long> answer) {}

    private final ConcurrentLinkedQueue<Request> waiting = new ConcurrentLinkedQueue<>();

    /** Queues a request; its answer completes once the relay thread carried it out. */
    CompletableFuture<Long> ask(long fromSeq) {
        CompletableFuture<Long> answer = new CompletableFuture<>();
        waiting.add(new Request(fromSeq, answer));
        return answer;
    }

    /** The next waiting request, or null. */
    Request next() {
        return waiting.poll();
    }

    /** Answers every waiting request with a failure (the relay stops). */
    void failAll(String reason) {
        for (Request request = waiting.poll(); request != null; request = waiting.poll()) {
            request.answer().completeExceptionally(new IllegalStateException(reason));
        }
    }
}
