package io.salesync.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoTimesTest {

    @Test
    void readsWhatInstantWritesAsInstantParseDoes() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(
                    random.nextLong(0, 4_102_444_800L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1000;
                        default -> random.nextInt(1_000_000_000);
                    });
            assertThat(IsoTimes.instant(at.toString())).isEqualTo(at);
            LocalDate day = LocalDate.ofEpochDay(random.nextInt(0, 50_000));
            assertThat(IsoTimes.date(day.toString())).isEqualTo(day);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-26T19:50:01Z",
                "2026-11-26T19:50:01.1Z",
                "2026-11-26T19:50:01.123456789Z",
                "2024-02-29T00:00:00Z",
                "2026-12-31T23:59:60Z",
                "2026-11-26T24:00:00Z",
                "2026-02-29T10:00:00Z",
                "2026-13-01T10:00:00Z",
                "2026-11-26T19:50:01.Z",
                "2026-11-26T19:50:01.1234567890Z",
                "2026-11-26 19:50:01Z",
                "2026-11-26T19:50:01",
                "2026-11-26T19:50:01+01:00",
                "+12026-11-26T19:50:01Z",
                "2026-1a-26T19:50:01Z",
                ""
            })
    void agreesWithInstantParseOnOddInstants(String text) {
        assertSame(text, Instant::parse, IsoTimes::instant);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-26",
                "2024-02-29",
                "2026-02-29",
                "2026-00-10",
                "2026-11-31",
                "2026-1-26",
                "26-11-2026",
                "2026/11/26",
                "+12026-11-26",
                "2026-11-26T00:00",
                ""
            })
    void agreesWithLocalDateParseOnOddDates(String text) {
        assertSame(text, LocalDate::parse, IsoTimes::date);
    }

    private static <T> void assertSame(String text, Function<String, T> reference, Function<String, T> fast) {
        T expected;
        try {
            expected = reference.apply(text);
        } catch (DateTimeParseException e) {
            assertThatThrownBy(() -> fast.apply(text))
                    .isInstanceOf(DateTimeParseException.class)
                    .hasMessage(e.getMessage());
            return;
        } catch (DateTimeException e) {
            assertThatThrownBy(() -> fast.apply(text)).isInstanceOf(DateTimeException.class);
            return;
        }
        assertThat(fast.apply(text)).isEqualTo(expected);
    }
}
