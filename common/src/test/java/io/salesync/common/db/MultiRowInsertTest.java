package io.salesync.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MultiRowInsertTest {

    private final MultiRowInsert<String> insert = new MultiRowInsert<>(
            "INSERT INTO t (a, b, c)",
            "(?, 0, ?)",
            "ON DUPLICATE KEY UPDATE c = VALUES(c)",
            (statement, first, row) -> {});

    @Test
    void repeatsTheRowBetweenHeadAndTail() {
        assertThat(insert.sql(1))
                .isEqualTo("INSERT INTO t (a, b, c) VALUES (?, 0, ?) ON DUPLICATE KEY UPDATE c = VALUES(c)");
        assertThat(insert.sql(3))
                .isEqualTo(
                        "INSERT INTO t (a, b, c) VALUES (?, 0, ?), (?, 0, ?), (?, 0, ?) ON DUPLICATE KEY UPDATE c = VALUES(c)");
    }

    @Test
    void anEmptyTailLeavesNothingBehindTheRows() {
        MultiRowInsert<String> plain =
                new MultiRowInsert<>("INSERT INTO t (a)", "(?)", "", (statement, first, row) -> {});
        assertThat(plain.sql(2)).isEqualTo("INSERT INTO t (a) VALUES (?), (?)");
    }

    @Test
    void aRowWithoutParametersIsRefused() {
        assertThatThrownBy(
                        () -> new MultiRowInsert<String>("INSERT INTO t (a)", "(1)", "", (statement, first, row) -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void instantsAreSentInUtcToTheMillisecond() {
        assertThat(SqlValues.timestampText(Instant.parse("2026-11-26T19:50:01.123456Z")))
                .isEqualTo("2026-11-26 19:50:01.123");
        assertThat(SqlValues.timestampText(Instant.parse("2026-01-02T03:04:05Z")))
                .isEqualTo("2026-01-02 03:04:05.000");
    }
}
