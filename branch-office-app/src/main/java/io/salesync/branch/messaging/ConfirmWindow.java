package io.salesync.branch.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The messages one confirm-mode channel has in flight, and what the broker said about them: the
 * map of publish sequence numbers of the RabbitMQ publisher-confirms tutorial, with the
 * {@code multiple} flag, plus the returns of mandatory messages that no queue took.
 *
 * <p>A change counts as confirmed only when the broker acked it on this channel and did not return
 * it first (the broker sends a mandatory message's return before its ack). A nack, a return, or the
 * loss of the channel is a {@link Failure}; the relay then {@link #close() closes} the window and
 * sends again from the first unconfirmed change on a new channel with a new window.
 *
 * <p>Threads: the relay thread calls {@link #sent}, {@link #takeConfirmed} and {@link #close}; the
 * client's connection thread calls {@link #returned}, {@link #acked}, {@link #nacked} and
 * {@link #lost}. Every method holds the window's lock, so a callback is applied whole or, once the
 * window is closed, not at all: a late callback of an old channel can never settle a message of
 * the next one, and a returned message is never taken for a confirmed one.
 */
final class ConfirmWindow {

    /** Why the window cannot go on: the lowest change concerned (0 when none) and a sentence. */
    record Failure(long seq, String reason, boolean unroutable) {}

    /** What a closed window leaves: confirmed changes not yet taken, and its failure (or null). */
    record Closed(List<Long> confirmed, Failure failure, long firstUnsettled) {}

    private static final class Entry {
        final long seq;
        final String messageId;
        final Instant sentAt;
        String returnedBecause;

        Entry(long seq, String messageId, Instant sentAt) {
            this.seq = seq;
            this.messageId = messageId;
            this.sentAt = sentAt;
        }
    }

    /** By delivery tag (publish sequence number of this channel). */
    private final NavigableMap<Long, Entry> unsettled = new TreeMap<>();

    private final Map<String, Entry> byMessageId = new HashMap<>();
    private final List<Long> confirmed = new ArrayList<>();
    private Failure failure;
    private boolean closed;

    /** Records a message about to be published with this delivery tag (relay thread). */
    synchronized void sent(long tag, long seq, String messageId, Instant at) {
        if (closed) {
            throw new IllegalStateException("the window of a discarded channel takes no more messages");
        }
        Entry entry = new Entry(seq, messageId, at);
        unsettled.put(tag, entry);
        byMessageId.put(messageId, entry);
    }

    /** The broker returned a mandatory message: no queue took it. Its ack follows. */
    synchronized void returned(String messageId, String reason) {
        if (closed || messageId == null) {
            return;
        }
        Entry entry = byMessageId.get(messageId);
        if (entry != null) {
            entry.returnedBecause = reason;
        }
    }

    synchronized void acked(long tag, boolean multiple) {
        settle(tag, multiple, true);
    }

    synchronized void nacked(long tag, boolean multiple) {
        settle(tag, multiple, false);
    }

    /** The channel closed under the window (the broker closed it, or the connection went). */
    synchronized void lost(String reason) {
        if (closed) {
            return;
        }
        fail(unsettled.isEmpty() ? 0 : unsettled.firstEntry().getValue().seq, reason, false);
    }

    /** The confirm of the oldest message did not come in time. */
    synchronized void timedOut(String reason) {
        lost(reason);
    }

    private void settle(long tag, boolean multiple, boolean ack) {
        if (closed) {
            return;
        }
        NavigableMap<Long, Entry> settled =
                multiple ? unsettled.headMap(tag, true) : unsettled.subMap(tag, true, tag, true);
        for (Entry entry : settled.values()) {
            byMessageId.remove(entry.messageId);
            if (!ack) {
                fail(entry.seq, "RabbitMQ refused change " + entry.seq + " (nack)", false);
            } else if (entry.returnedBecause != null) {
                fail(entry.seq, entry.returnedBecause, true);
            } else {
                confirmed.add(entry.seq);
            }
        }
        settled.clear();
    }

    /** Keeps the first failure's reason, and the lowest change any failure concerned. */
    private void fail(long seq, String reason, boolean unroutable) {
        if (failure == null) {
            failure = new Failure(seq, reason, unroutable);
        } else if (seq != 0 && (failure.seq() == 0 || seq < failure.seq())) {
            failure = new Failure(seq, failure.reason(), failure.unroutable());
        }
    }

    /** Changes confirmed since the last call, in the order the broker confirmed them. */
    synchronized List<Long> takeConfirmed() {
        if (confirmed.isEmpty()) {
            return List.of();
        }
        List<Long> taken = new ArrayList<>(confirmed);
        confirmed.clear();
        return taken;
    }

    /** The failure that ends this window, or null while it may go on. */
    synchronized Failure failure() {
        return failure;
    }

    /** Messages sent and not yet acked or nacked. */
    synchronized int size() {
        return unsettled.size();
    }

    /** When the oldest unsettled message was sent, or null when none is. */
    synchronized Instant oldestSentAt() {
        return unsettled.isEmpty() ? null : unsettled.firstEntry().getValue().sentAt;
    }

    /**
     * Closes the window: callbacks that arrive later change nothing. Returns the confirmed changes
     * not taken yet (they were confirmed, so they may be marked), the failure, and the lowest change
     * still unsettled (0 when none).
     */
    synchronized Closed close() {
        closed = true;
        List<Long> left = new ArrayList<>(confirmed);
        confirmed.clear();
        long firstUnsettled = unsettled.isEmpty() ? 0 : unsettled.firstEntry().getValue().seq;
        unsettled.clear();
        byMessageId.clear();
        return new Closed(left, failure, firstUnsettled);
    }
}
