package io.salesync.common.sale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SaleIdsTest {

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        final AtomicLong millis;

        HandClock(long millis) {
            this.millis = new AtomicLong(millis);
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private static final long NOV_2026 =
            Instant.parse("2026-11-30T09:15:00.123Z").toEpochMilli();

    @Test
    void anIdIsAVersion7UuidCarryingTheClocksMilliseconds() {
        UUID id = new SaleIds(new HandClock(NOV_2026)).next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(SaleIds.millisOf(id)).isEqualTo(NOV_2026);
        assertThat(id.toString()).startsWith(String.format("%08x-%04x-7", NOV_2026 >>> 16, NOV_2026 & 0xFFFF));
    }

    @Test
    void idsSortInTheOrderTheyWereMadeAsUuidsAndAsText() {
        HandClock clock = new HandClock(NOV_2026);
        SaleIds ids = new SaleIds(clock);
        List<UUID> made = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            if (i % 7 == 0) {
                clock.millis.addAndGet(i % 3);
            }
            made.add(ids.next());
        }

        assertThat(made).isSortedAccordingTo(UUID::compareTo);
        assertThat(made.stream().map(UUID::toString).toList()).isSorted();
        assertThat(new HashSet<>(made)).hasSize(made.size());
    }

    @Test
    void moreIdsInOneMillisecondThanTheCounterHoldsBorrowTheNextMillisecond() {
        SaleIds ids = new SaleIds(new HandClock(NOV_2026));
        UUID previous = ids.next();
        for (int i = 0; i < 10_000; i++) {
            UUID next = ids.next();
            assertThat(next.toString()).isGreaterThan(previous.toString());
            previous = next;
        }

        assertThat(SaleIds.millisOf(previous)).isBetween(NOV_2026 + 2, NOV_2026 + 5);
    }

    @Test
    void whenTheClockStepsBackIdsStillGoForward() {
        HandClock clock = new HandClock(NOV_2026);
        SaleIds ids = new SaleIds(clock);
        UUID before = ids.next();

        clock.millis.set(NOV_2026 - 60_000);
        UUID after = ids.next();

        assertThat(after.toString()).isGreaterThan(before.toString());
        assertThat(SaleIds.millisOf(after)).isEqualTo(NOV_2026);
    }

    @Test
    void generatorsOnTheSameClockMakeDifferentIds() {
        HandClock clock = new HandClock(NOV_2026);
        SaleIds a = new SaleIds(clock);
        SaleIds b = new SaleIds(clock);

        assertThat(a.next()).isNotEqualTo(b.next());
    }

    @Test
    void aRandomUuidHasNoTimeToRead() {
        assertThatThrownBy(() -> SaleIds.millisOf(UUID.randomUUID()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a time-ordered");
    }
}
