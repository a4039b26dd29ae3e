package io.salesync.branch.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The confirm window under generated interleavings of what the relay does (publish, take the
 * confirms, give up on a channel and start a new one) and what the broker sends back on every
 * channel, the old ones included (acks and nacks, single and multiple, returns of unroutable
 * messages, channel losses). Whatever the order, a change is reported confirmed only when the
 * broker acked it on that channel without returning or nacking it, and at most once per channel.
 */
class ConfirmWindowTest {

    /** What the broker does with one message. */
    enum Fate {
        ROUTED,
        RETURNED,
        NACKED
    }

    /** One thing that happens; {@code a} and {@code b} parameterise it. */
    enum Kind {
        PUBLISH,
        BROKER_REPLIES,
        TAKE_CONFIRMED,
        CHECK_TIMEOUT,
        CHANNEL_LOST,
        NEW_CHANNEL
    }

    record Step(Kind kind, int a, int b, boolean multiple) {}

    /** A message as the simulated broker holds it until it answers. */
    private record Held(long tag, long seq, Fate fate) {}

    /** One channel: its window, the tags it handed out, what the broker still owes it, and the truth. */
    private static final class SimChannel {
        final ConfirmWindow window = new ConfirmWindow();
        final Deque<Held> owed = new ArrayDeque<>();
        final Set<Long> routedAndAcked = new HashSet<>();
        final Set<Long> reported = new HashSet<>();
        long nextTag = 1;
        boolean closed;
        /** A return or a nack reached the window while it was open. */
        boolean refusedWhileOpen;
    }

    @Property(tries = 2_000)
    void aChangeIsReportedConfirmedOnlyWhenTheBrokerAckedItUnreturnedOnThatChannel(
            @ForAll("scripts") @Size(max = 80) List<Step> script,
            @ForAll("fates") @Size(min = 200, max = 200) List<Fate> fates) {
        List<SimChannel> channels = new ArrayList<>();
        channels.add(new SimChannel());
        Set<Long> everConfirmed = new TreeSet<>();
        long nextSeq = 1;
        int fateIndex = 0;
        for (Step step : script) {
            SimChannel current = channels.get(channels.size() - 1);
            switch (step.kind()) {
                case PUBLISH -> {
                    for (int i = 0; i < 1 + step.a() % 5 && !current.closed; i++) {
                        long seq = nextSeq++;
                        Fate fate = fates.get(fateIndex++ % fates.size());
                        long tag = current.nextTag++;
                        current.window.sent(tag, seq, "bo1:" + seq, Instant.EPOCH);
                        current.owed.add(new Held(tag, seq, fate));
                    }
                }
                case BROKER_REPLIES -> {
                    // Any channel, the discarded ones too: their callbacks may still be on their way.
                    SimChannel target = channels.get(step.b() % channels.size());
                    reply(target, 1 + step.a() % 4, step.multiple());
                }
                case TAKE_CONFIRMED -> report(current, current.window.takeConfirmed(), everConfirmed);
                case CHECK_TIMEOUT -> {
                    if (current.window.size() > 0 && step.multiple()) {
                        current.window.timedOut("no confirm in time");
                    }
                }
                case CHANNEL_LOST -> current.window.lost("the channel was closed");
                case NEW_CHANNEL -> {
                    ConfirmWindow.Closed closed = current.window.close();
                    current.closed = true;
                    report(current, closed.confirmed(), everConfirmed);
                    channels.add(new SimChannel());
                    // Go back to the first change not confirmed yet, as the relay does.
                    long first = 1;
                    while (everConfirmed.contains(first)) {
                        first++;
                    }
                    nextSeq = first;
                }
            }
        }
        for (SimChannel channel : channels) {
            assertThat(channel.routedAndAcked)
                    .as("reported confirmed on a channel")
                    .containsAll(channel.reported);
            if (channel.refusedWhileOpen) {
                assertThat(channel.window.failure())
                        .as("a return or nack ends the window")
                        .isNotNull();
            }
        }
    }

    @Property(tries = 500)
    void everyRoutedChangeIsConfirmedOnceTheBrokerHasAnsweredAll(
            @ForAll("replies") @Size(min = 1, max = 40) List<Integer> batches, @ForAll boolean multiple) {
        SimChannel channel = new SimChannel();
        int messages = batches.stream().mapToInt(Integer::intValue).sum();
        for (long seq = 1; seq <= messages; seq++) {
            channel.window.sent(channel.nextTag++, seq, "bo1:" + seq, Instant.EPOCH);
            channel.owed.add(new Held(seq, seq, Fate.ROUTED));
        }
        List<Long> confirmed = new ArrayList<>();
        for (int batch : batches) {
            reply(channel, batch, multiple);
            confirmed.addAll(channel.window.takeConfirmed());
        }
        assertThat(confirmed)
                .as("every change once, in order")
                .hasSize(messages)
                .isSorted()
                .doesNotHaveDuplicates();
        assertThat(channel.window.failure()).isNull();
        assertThat(channel.window.size()).isZero();
    }

    @Test
    void aReturnedMessageFailsTheWindowEvenWhenItsAckCoversLaterOnes() {
        ConfirmWindow window = new ConfirmWindow();
        window.sent(1, 7, "bo1:7", Instant.EPOCH);
        window.sent(2, 8, "bo1:8", Instant.EPOCH);
        window.sent(3, 9, "bo1:9", Instant.EPOCH);

        window.returned("bo1:8", "no queue");
        window.acked(3, true);

        assertThat(window.takeConfirmed()).containsExactly(7L, 9L);
        assertThat(window.failure()).isEqualTo(new ConfirmWindow.Failure(8, "no queue", true));
    }

    @Test
    void callbacksAfterCloseChangeNothingAndTheNextWindowStartsClean() {
        ConfirmWindow old = new ConfirmWindow();
        old.sent(1, 1, "bo1:1", Instant.EPOCH);
        old.returned("bo1:1", "no queue");
        ConfirmWindow.Closed closed = old.close();

        old.acked(1, true);
        ConfirmWindow next = new ConfirmWindow();
        next.sent(1, 1, "bo1:1", Instant.EPOCH);
        old.acked(1, false);

        assertThat(closed.confirmed()).isEmpty();
        assertThat(closed.firstUnsettled()).isEqualTo(1);
        assertThat(old.takeConfirmed()).isEmpty();
        assertThat(next.size())
                .as("the old channel's ack settled nothing of the new one")
                .isEqualTo(1);
        next.acked(1, false);
        assertThat(next.takeConfirmed()).containsExactly(1L);
    }

    @Test
    void aNackOrALostChannelNamesTheLowestChangeConcerned() {
        ConfirmWindow window = new ConfirmWindow();
        window.sent(1, 3, "bo1:3", Instant.EPOCH);
        window.sent(2, 4, "bo1:4", Instant.EPOCH);
        window.nacked(2, false);
        window.lost("gone");

        assertThat(window.failure().seq()).isEqualTo(3);
        assertThat(window.failure().reason()).contains("nack");
        assertThat(window.failure().unroutable()).isFalse();
    }

    /**
     * The broker answers up to {@code count} of the oldest messages it owes this channel, in tag
     * order: a return before the ack of an unroutable message, one multiple ack (or nack) for a run
     * of equal answers when {@code multiple}.
     */
    private static void reply(SimChannel channel, int count, boolean multiple) {
        List<Held> run = new ArrayList<>();
        for (int i = 0; i < count && !channel.owed.isEmpty(); i++) {
            run.add(channel.owed.poll());
        }
        int from = 0;
        while (from < run.size()) {
            boolean nack = run.get(from).fate() == Fate.NACKED;
            int to = from;
            while (multiple && to + 1 < run.size() && (run.get(to + 1).fate() == Fate.NACKED) == nack) {
                to++;
            }
            for (int i = from; i <= to; i++) {
                Held held = run.get(i);
                if (held.fate() != Fate.ROUTED && !channel.closed) {
                    channel.refusedWhileOpen = true;
                }
                if (held.fate() == Fate.RETURNED) {
                    channel.window.returned("bo1:" + held.seq(), "no queue");
                } else if (held.fate() == Fate.ROUTED) {
                    channel.routedAndAcked.add(held.seq());
                }
            }
            long tag = run.get(to).tag();
            boolean several = to > from;
            if (nack) {
                channel.window.nacked(tag, several);
            } else {
                channel.window.acked(tag, several);
            }
            from = to + 1;
        }
    }

    private static void report(SimChannel channel, List<Long> confirmed, Set<Long> everConfirmed) {
        for (long seq : confirmed) {
            assertThat(channel.reported.add(seq))
                    .as("change %d reported twice on one channel", seq)
                    .isTrue();
        }
        everConfirmed.addAll(confirmed);
    }

    @Provide
    Arbitrary<List<Step>> scripts() {
        Arbitrary<Step> step = Combinators.combine(
                        Arbitraries.of(Kind.class),
                        Arbitraries.integers().between(0, 20),
                        Arbitraries.integers().between(0, 20),
                        Arbitraries.of(true, false))
                .as(Step::new);
        return step.list();
    }

    @Provide
    Arbitrary<List<Fate>> fates() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, Arbitraries.just(Fate.ROUTED)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(Fate.RETURNED)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Fate.NACKED)))
                .list();
    }

    @Provide
    Arbitrary<List<Integer>> replies() {
        return Arbitraries.integers().between(1, 6).list();
    }
}
