package io.salesync.headoffice.messaging;

import com.rabbitmq.client.Channel;
import io.salesync.common.event.SaleChange;
import io.salesync.headoffice.model.DeadLetter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliveries handed to the lanes, in delivery order, and their acknowledgements: a delivery is
 * settled once it and every delivery before it are committed. Acknowledgements of committed
 * deliveries are sent together, at most {@link #ACK_EVERY} after the commit (or once half the
 * prefetch waits): fewer of them cost the broker less, and a committed change that is redelivered
 * because its acknowledgement was not sent yet changes nothing. A message the lanes refused is
 * first republished to the dead-letter exchange with its reason; one that could not be is rejected
 * without requeue (a multiple ack covers only what is still outstanding, so it is not acknowledged
 * with the others).
 *
 * <p>Consumer thread only, but for {@link Pending}'s callbacks, which the lanes call.
 */
final class Acknowledgements {

    static final Duration ACK_EVERY = Duration.ofMillis(20);
    private static final Logger log = LoggerFactory.getLogger(Acknowledgements.class);

    /** A delivery handed to the lanes. */
    static final class Pending implements ApplierLanes.Delivered {
        final Delivery delivery;
        final boolean saleChange;
        final boolean refusedAtCheck;
        boolean reject;
        volatile String refusedBecause;
        volatile boolean committed;

        Pending(Delivery delivery, boolean reject) {
            this.delivery = delivery;
            this.saleChange = delivery.verdict().message() instanceof SaleChange;
            this.refusedAtCheck =
                    !delivery.verdict().accepted() && !delivery.verdict().heartbeat();
            this.reject = reject;
        }

        @Override
        public void committed() {
            committed = true;
        }

        @Override
        public void refused(String reason) {
            refusedBecause = reason;
        }

        @Override
        public DeadLetter deadLetter(String reason, Instant at) {
            return delivery.deadLetter(reason, at);
        }
    }

    /** What one call of {@link #settle} settled: sale changes applied, and messages dead-lettered. */
    record Settled(int deliveries, long applied, int deadLettered) {}

    private final int prefetch;
    private final DeadLetterPublisher deadLetters;
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    /** Highest delivery tag committed but not acknowledged yet, 0 when none. */
    private long ackPending;

    private int ackPendingCount;
    private long ackPendingSinceNanos;

    Acknowledgements(int prefetch, DeadLetterPublisher deadLetters) {
        this.prefetch = prefetch;
        this.deadLetters = deadLetters;
    }

    /** A new channel: tags belong to the old one, whose deliveries the broker gives again. */
    void reset() {
        inFlight.clear();
        ackPending = 0;
        ackPendingCount = 0;
    }

    Pending track(Delivery delivery, boolean reject) {
        Pending pending = new Pending(delivery, reject);
        inFlight.add(pending);
        return pending;
    }

    /** Deliveries handed to the lanes and not settled yet. */
    int inFlight() {
        return inFlight.size();
    }

    /** How long the consumer may wait for deliveries before acknowledgements are due. */
    long waitNanos(long idle) {
        return ackPending == 0 ? idle : Math.max(0, ACK_EVERY.toNanos() - (System.nanoTime() - ackPendingSinceNanos));
    }

    /** Settles the committed deliveries that no uncommitted one precedes. */
    Settled settle(Channel channel) {
        int settled = 0;
        long saleChanges = 0;
        int refused = 0;
        while (!inFlight.isEmpty() && inFlight.peekFirst().committed) {
            Pending pending = inFlight.removeFirst();
            String reason = pending.refusedBecause;
            if (reason != null && !pending.reject) {
                pending.reject = !deadLetters.publish(
                        pending.delivery.routingKey(), pending.delivery.properties(), pending.delivery.body(), reason);
            }
            settle(channel, pending);
            settled++;
            boolean wasRefused = pending.refusedAtCheck || reason != null;
            saleChanges += pending.saleChange && !wasRefused ? 1 : 0;
            refused += wasRefused ? 1 : 0;
        }
        return new Settled(settled, saleChanges, refused);
    }

    private void settle(Channel channel, Pending pending) {
        long tag = pending.delivery.tag();
        if (pending.reject) {
            try {
                channel.basicReject(tag, false);
            } catch (IOException | RuntimeException e) {
                log.warn("Could not reject message {} ({}); the broker will redeliver it", tag, e.getMessage());
            }
            return;
        }
        if (ackPending == 0) {
            ackPendingSinceNanos = System.nanoTime();
        }
        ackPending = Math.max(ackPending, tag);
        ackPendingCount++;
    }

    /** Acknowledges the committed deliveries when they have waited long enough, or many are waiting, or {@code now}. */
    void flush(Channel channel, boolean now) {
        if (ackPending == 0
                || !now
                        && ackPendingCount < prefetch / 2
                        && System.nanoTime() - ackPendingSinceNanos < ACK_EVERY.toNanos()) {
            return;
        }
        try {
            channel.basicAck(ackPending, true);
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "Could not acknowledge {} applied message(s) ({}); the broker will redeliver them and applying them"
                            + " again changes nothing",
                    ackPendingCount,
                    e.getMessage());
        }
        ackPending = 0;
        ackPendingCount = 0;
    }
}
