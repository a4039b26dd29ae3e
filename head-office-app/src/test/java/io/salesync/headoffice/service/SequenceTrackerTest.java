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
    void skippingToAResyncStartClosesTheGapsBelowIt() {
        SequenceTracker tracker = new SequenceTracker(10, "15-20,30-31");
        tracker.skipTo(18);
        assertThat(tracker.contiguous()).isEqualTo(20);
        assertThat(tracker.ranges()).isEqualTo("30-31");
        tracker.skipTo(40);
        assertThat(tracker.contiguous()).isEqualTo(40);
        assertThat(tracker.hasGap()).isFalse();
    }

    @Test
    void rangesSurviveATripThroughTheirText() {
        SequenceTracker tracker = new SequenceTracker(1, "3-4,8-8");
        assertThat(new SequenceTracker(tracker.contiguous(), tracker.ranges()).ranges()).isEqualTo("3-4,8-8");
    }
}
