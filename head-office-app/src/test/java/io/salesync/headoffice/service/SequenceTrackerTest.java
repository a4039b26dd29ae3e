package io.salesync.headoffice.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    @Test
    void numbersInOrderMoveTheWatermarkWithoutAGap() {
        SequenceTracker tracker = new SequenceTracker(0, null);
        for (long seq = 1; seq <= 5; seq++) {
            assertThat(tracker.accept(seq)).isTrue();
        }
        assertThat(tracker.contiguous()).isEqualTo(5);
        assertThat(tracker.hasGap()).isFalse();
        assertThat(tracker.ranges()).isEmpty();
    }

    @Test
    void aJumpOpensAGapThatTheLateNumbersClose() {
        SequenceTracker tracker = new SequenceTracker(3, null);
        tracker.accept(6);
        tracker.accept(7);
        assertThat(tracker.hasGap()).isTrue();
        assertThat(tracker.firstMissing()).isEqualTo(4);
        assertThat(tracker.missing()).isEqualTo(2);
        assertThat(tracker.ranges()).isEqualTo("6-7");

        tracker.accept(5);
        assertThat(tracker.ranges()).isEqualTo("5-7");
        tracker.accept(4);
        assertThat(tracker.contiguous()).isEqualTo(7);
        assertThat(tracker.hasGap()).isFalse();
    }

    @Test
    void duplicatesAreRecognised() {
        SequenceTracker tracker = new SequenceTracker(10, "12-14");
        assertThat(tracker.accept(9)).isFalse();
        assertThat(tracker.accept(13)).isFalse();
        assertThat(tracker.accept(16)).isTrue();
        assertThat(tracker.ranges()).isEqualTo("12-14,16-16");
    }

    @Test
    void missingBeforeCountsOnlyNumbersThatHaveNotArrived() {
        SequenceTracker tracker = new SequenceTracker(10, "12-14,17-20");
        assertThat(tracker.missingBefore(11)).isZero();
        assertThat(tracker.missingBefore(12)).isEqualTo(1);
        assertThat(tracker.missingBefore(16)).isEqualTo(2);
        assertThat(tracker.missingBefore(19)).isEqualTo(3);
        assertThat(tracker.missingBefore(30)).isEqualTo(12);
        assertThat(tracker.missing()).isEqualTo(3);
    }

    @Test
    void aResyncStartSetsTheStateAfreshLowerOrHigher() {
        SequenceTracker tracker = new SequenceTracker(10, "15-20,30-31");
        tracker.resetTo(18);
        assertThat(tracker.contiguous()).isEqualTo(18);
        assertThat(tracker.hasGap()).isFalse();

        SequenceTracker pushedUp = new SequenceTracker(9_000_000, null);
        pushedUp.resetTo(42);
        assertThat(pushedUp.contiguous()).isEqualTo(42);
        assertThat(pushedUp.accept(43))
                .as("the branch's next change is new again")
                .isTrue();
    }

    @Test
    void aNumberFarAheadOfWhatTheHeadOfficeHoldsIsRefused() {
        SequenceTracker tracker = new SequenceTracker(100, null);

        assertThat(tracker.refusal(100 + SequenceTracker.MAX_AHEAD)).isNull();
        assertThat(tracker.refusal(101 + SequenceTracker.MAX_AHEAD)).contains("ahead of 100");
        assertThat(tracker.refusal(5))
                .as("a duplicate is not refused, it is skipped")
                .isNull();
    }

    @Test
    void noMoreThanMaxRangesSeparateRunsAboveAGap() {
        SequenceTracker tracker = new SequenceTracker(0, null);
        for (int i = 0; i < SequenceTracker.MAX_RANGES; i++) {
            assertThat(tracker.refusal(2L + 2 * i)).isNull();
            tracker.accept(2L + 2 * i);
        }
        assertThat(tracker.rangeCount()).isEqualTo(SequenceTracker.MAX_RANGES);

        long next = 2L + 2 * SequenceTracker.MAX_RANGES + 1;
        assertThat(tracker.refusal(next)).contains("separate runs");
        assertThat(tracker.refusal(3)).as("filling a gap merges two runs").isNull();
        assertThat(tracker.refusal(2L * SequenceTracker.MAX_RANGES + 1))
                .as("extending the last run")
                .isNull();
        assertThat(tracker.refusal(1)).as("the next number after the watermark").isNull();
        tracker.accept(1);
        assertThat(tracker.contiguous()).isEqualTo(2);
        assertThat(tracker.ranges().length()).as("the stored text stays small").isLessThan(4_000);
    }

    @Test
    void rangesSurviveATripThroughTheirText() {
        SequenceTracker tracker = new SequenceTracker(1, "3-4,8-8");
        assertThat(new SequenceTracker(tracker.contiguous(), tracker.ranges()).ranges())
                .isEqualTo("3-4,8-8");
    }
}
