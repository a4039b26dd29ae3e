package io.salesync.headoffice.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.headoffice.model.Health;
import io.salesync.headoffice.model.Verification;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The health rules, table-driven: quiet against silent against lagging, with each time at its
 * boundary. Times are seconds before now (blank: never); silent after 120 s.
 */
class HealthRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Duration SILENT_AFTER = Duration.ofSeconds(120);

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // case                                         | change | beat | reported | previous | unconf | applied
                // | gap | health
                "idle branch, heartbeats arriving                   | 3600   | 5    | 40       | 40       | 0      | 40      | -   | HEALTHY",
                "never sold, heartbeats arriving                    | -      | 5    | 0        | 0        | 0      | 0       | -   | HEALTHY",
                "selling, latest heartbeat still on its way         | 1      | 9    | 50       | 40       | 0      | 45      | -   | HEALTHY",
                "latest report not applied after exactly the grace  | 1      | 10   | 50       | 40       | 0      | 45      | -   | LAGGING",
                "previous report not applied: behind, however fresh | 1      | 0    | 90       | 60       | 30     | 45      | -   | LAGGING",
                "old branch without heartbeats, recent change       | 30     | -    | 0        | 0        | 0      | 12      | -   | HEALTHY",
                "heartbeat 119 s ago: not yet silent                | 4000   | 119  | 7        | 7        | 0      | 7       | -   | HEALTHY",
                "heartbeat exactly 120 s ago: silent                | 4000   | 120  | 7        | 7        | 0      | 7       | -   | SILENT",
                "a change 10 s ago counts as contact                | 10     | 500  | 7        | 7        | 0      | 7       | -   | HEALTHY",
                "nothing for 121 s, backlog reported: silent first  | 121    | 121  | 90       | 60       | 30     | 45      | -   | SILENT",
                "never heard from                                   | -      | -    | 0        | 0        | 0      | 0       | -   | SILENT",
                "numbers missing, gap not reported yet              | 2      | 3    | 60       | 60       | 0      | 45      | 20  | LAGGING",
            })
    void judgesEachCase(
            String description,
            Long changeAgo,
            Long beatAgo,
            long reported,
            long previous,
            long unconfirmed,
            long applied,
            Long gapAgo,
            Health expected) {
        HealthRules.Verdict verdict = HealthRules.judge(
                new HealthRules.Signals(
                        ago(changeAgo), ago(beatAgo), reported, previous, unconfirmed, applied, ago(gapAgo)),
                SILENT_AFTER,
                NOW);

        assertThat(verdict.health()).as(description + ": " + verdict.why()).isEqualTo(expected);
    }

    @Test
    void aLaggingBranchSaysHowFarBehindAndWhy() {
        HealthRules.Verdict verdict =
                HealthRules.judge(new HealthRules.Signals(ago(1L), ago(12L), 90, 60, 30, 45, null), SILENT_AFTER, NOW);

        assertThat(verdict.why())
                .isEqualTo("45 change(s) behind: the branch wrote up to no. 90 (30 not yet confirmed by RabbitMQ),"
                        + " applied here up to no. 45.");
    }

    @Test
    void aSilentBranchSaysHowLongItHasBeenQuiet() {
        HealthRules.Verdict verdict =
                HealthRules.judge(new HealthRules.Signals(ago(4000L), ago(300L), 7, 7, 0, 7, null), SILENT_AFTER, NOW);

        assertThat(verdict.why()).startsWith("No heartbeat and no change for 5 min (last heard ");
    }

    @Test
    void theSilenceTimeIsTheConfiguredOne() {
        HealthRules.Signals signals = new HealthRules.Signals(null, ago(30L), 7, 7, 0, 7, null);

        assertThat(HealthRules.judge(signals, Duration.ofSeconds(31), NOW).health())
                .isEqualTo(Health.HEALTHY);
        assertThat(HealthRules.judge(signals, Duration.ofSeconds(30), NOW).health())
                .isEqualTo(Health.SILENT);
    }

    @Test
    void aReportedGapOrADivergedCheckpointOutranksTiming() {
        HealthRules.Verdict healthy = new HealthRules.Verdict(Health.HEALTHY, "Up to date.");
        Verification gap = new Verification("bo1", 44, "46-60", ago(300L), null, null);

        assertThat(HealthRules.verify(healthy, gap, true).health()).isEqualTo(Health.DIVERGED);
        assertThat(HealthRules.verify(new HealthRules.Verdict(Health.SILENT, "quiet"), gap, true)
                        .health())
                .isEqualTo(Health.DIVERGED);
        assertThat(HealthRules.verify(healthy, gap, false)).isEqualTo(healthy);
    }

    @Test
    void aRunningResyncIsLaggingUnlessTheBranchFellSilent() {
        Verification resync = new Verification(
                "bo1", 10, "", null, null, new Verification.Resync("r", 100, 40, ago(20L), null, null));

        assertThat(HealthRules.verify(new HealthRules.Verdict(Health.HEALTHY, "ok"), resync, false))
                .isEqualTo(new HealthRules.Verdict(Health.LAGGING, "Resync 40% (40 of 100 sales)."));
        assertThat(HealthRules.verify(new HealthRules.Verdict(Health.SILENT, "quiet"), resync, false)
                        .health())
                .isEqualTo(Health.SILENT);
    }

    @Test
    void severityPutsTheWorstFirst() {
        assertThat(HealthRules.severity(Health.DIVERGED)).isGreaterThan(HealthRules.severity(Health.SILENT));
        assertThat(HealthRules.severity(Health.SILENT)).isGreaterThan(HealthRules.severity(Health.LAGGING));
        assertThat(HealthRules.severity(Health.LAGGING)).isGreaterThan(HealthRules.severity(Health.HEALTHY));
        assertThat(HealthRules.needsAttention(Health.HEALTHY)).isFalse();
        assertThat(HealthRules.needsAttention(Health.LAGGING)).isTrue();
    }

    @Test
    void durationsReadLikeAPersonWouldSayThem() {
        assertThat(HealthRules.human(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(HealthRules.human(Duration.ofMinutes(3))).isEqualTo("3 min");
        assertThat(HealthRules.human(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
        assertThat(HealthRules.human(Duration.ofDays(3))).isEqualTo("3 days");
    }

    private static Instant ago(Long seconds) {
        return seconds == null ? null : NOW.minusSeconds(seconds);
    }

    @Test
    void aClosedBranchIsClosedWhateverItsTimingSaid() {
        HealthRules.Verdict silent = HealthRules.judge(
                new HealthRules.Signals(NOW.minusSeconds(309), null, 0, 0, 0, 0, null), Duration.ofSeconds(120), NOW);
        assertThat(silent.health()).isEqualTo(Health.SILENT);

        HealthRules.Verdict closed = HealthRules.closedWins(silent, NOW.minusSeconds(60));

        assertThat(closed.health()).isEqualTo(Health.CLOSED);
        assertThat(closed.why()).startsWith("Closed ");
        assertThat(HealthRules.closedWins(silent, null)).isEqualTo(silent);
    }
}
