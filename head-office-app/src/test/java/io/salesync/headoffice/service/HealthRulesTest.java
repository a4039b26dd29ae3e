package io.salesync.headoffice.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.headoffice.model.Health;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void aBranchUpToDateIsHealthy() {
        assertThat(judge(ago(5), ago(4), ago(1)).health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void whenEveryBranchIsQuietNobodyIsBlamed() {
        assertThat(judge(ago(3600), ago(3600), ago(3000)).health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void aBranchQuietForFiveMinutesWhileOthersSendIsSilent() {
        HealthRules.Verdict verdict = judge(ago(310), ago(309), ago(2));
        assertThat(verdict.health()).isEqualTo(Health.SILENT);
        assertThat(verdict.why()).isEqualTo("Quiet for 5 min while others send.");
    }

    @Test
    void aBranchQuietForAMinuteWhileOthersSendIsLagging() {
        assertThat(judge(ago(90), ago(90), ago(2)).health()).isEqualTo(Health.LAGGING);
        assertThat(judge(ago(50), ago(50), ago(2)).health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void changesArrivingLongAfterTheyWereMadeMeanTheBranchIsCatchingUp() {
        HealthRules.Verdict verdict = judge(ago(200), ago(1), ago(200));
        assertThat(verdict.health()).isEqualTo(Health.LAGGING);
        assertThat(verdict.why()).isEqualTo("Changes arrive 3 min late.");
    }

    @Test
    void aBacklogCaughtUpLongAgoNoLongerCountsAsLagging() {
        assertThat(judge(ago(4000), ago(1200), ago(1200)).health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void aBranchNeverHeardFromIsSilentWhileOthersSend() {
        assertThat(judge(null, null, ago(10)).health()).isEqualTo(Health.SILENT);
        assertThat(judge(null, null, null).health()).isEqualTo(Health.LAGGING);
    }

    @Test
    void durationsReadLikeAPersonWouldSayThem() {
        assertThat(HealthRules.human(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(HealthRules.human(Duration.ofMinutes(3))).isEqualTo("3 min");
        assertThat(HealthRules.human(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
        assertThat(HealthRules.human(Duration.ofDays(3))).isEqualTo("3 days");
    }

    private static HealthRules.Verdict judge(Instant lastMessage, Instant lastApplied, Instant newest) {
        Instant newestOfAll = newest == null
                ? lastMessage
                : lastMessage == null || newest.isAfter(lastMessage) ? newest : lastMessage;
        return HealthRules.judge(lastMessage, lastApplied, newestOfAll, NOW);
    }

    private static Instant ago(long seconds) {
        return NOW.minusSeconds(seconds);
    }

    @Test
    void aClosedBranchIsClosedWhateverItsTimingSaid() {
        HealthRules.Verdict silent = judge(ago(310), ago(309), ago(2));

        HealthRules.Verdict closed = HealthRules.closedWins(silent, ago(60));

        assertThat(closed.health()).isEqualTo(Health.CLOSED);
        assertThat(closed.why()).startsWith("Closed ");
        assertThat(HealthRules.closedWins(silent, null)).isEqualTo(silent);
    }
}
