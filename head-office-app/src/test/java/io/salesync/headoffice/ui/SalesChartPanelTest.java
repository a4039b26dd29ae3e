package io.salesync.headoffice.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.headoffice.model.DailyTotal;
import java.awt.Color;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SalesChartPanelTest {

    private static final LocalDate THURSDAY = LocalDate.of(2026, 11, 26);

    @Test
    void thePeriodThatHoldsTodayIsTheOneStillRunning() {
        List<DailyTotal> lastWeek = List.of(total(THURSDAY.minusDays(7)), total(THURSDAY.minusDays(4)));
        List<DailyTotal> withMonday = List.of(total(THURSDAY.minusDays(7)), total(THURSDAY.minusDays(3)));

        assertThat(ChartLines.hasCurrentPeriod(lastWeek, ChartLines.Bucket.DAY, THURSDAY))
                .isFalse();
        assertThat(ChartLines.hasCurrentPeriod(lastWeek, ChartLines.Bucket.WEEK, THURSDAY))
                .isFalse();
        assertThat(ChartLines.hasCurrentPeriod(withMonday, ChartLines.Bucket.WEEK, THURSDAY))
                .as("Monday is this week")
                .isTrue();
        assertThat(ChartLines.hasCurrentPeriod(List.of(total(THURSDAY)), ChartLines.Bucket.DAY, THURSDAY))
                .isTrue();
    }

    @Test
    void theTotalLineComesFirstUnderItsLabelThenEachBranch() {
        List<DailyTotal> totals = List.of(
                new DailyTotal(null, THURSDAY, new BigDecimal("30.00")),
                new DailyTotal(null, THURSDAY.minusDays(1), new BigDecimal("5.00")),
                new DailyTotal("bo7", THURSDAY, new BigDecimal("10.00")),
                new DailyTotal("bo42", THURSDAY, new BigDecimal("20.00")));

        var lines = ChartLines.lines(totals, "Total of the 2 picked branches", ChartLines.Bucket.DAY);

        assertThat(lines.keySet()).containsExactly("Total of the 2 picked branches", "bo42", "bo7");
        assertThat(lines.get("Total of the 2 picked branches"))
                .hasSize(2)
                .containsEntry(THURSDAY, new BigDecimal("30.00"));
        assertThat(ChartLines.lines(totals.subList(2, 4), null, ChartLines.Bucket.DAY)
                        .keySet())
                .containsExactly("bo42", "bo7");
    }

    @Test
    void theSpanIsMeasuredFromTheOldestToTheNewestDayWhateverTheOrder() {
        List<DailyTotal> totals = List.of(
                new DailyTotal(null, THURSDAY, BigDecimal.ONE),
                new DailyTotal("bo1", THURSDAY.minusDays(200), BigDecimal.ONE),
                new DailyTotal("bo1", THURSDAY.minusDays(1), BigDecimal.ONE));

        assertThat(ChartLines.Bucket.forSpan(totals)).isEqualTo(ChartLines.Bucket.WEEK);
    }

    @Test
    void everyLineStandsOutFromTheBackgroundOfEitherTheme() {
        for (Color plot : List.of(Color.WHITE, new Color(0x3C3F41), new Color(0x2B2B2B), new Color(0xF2F2F2))) {
            for (Color line : SalesChartPanel.seriesColours(plot)) {
                assertThat(contrast(line, plot)).as("%s on %s", line, plot).isGreaterThanOrEqualTo(3.0);
            }
        }
    }

    private static DailyTotal total(LocalDate day) {
        return new DailyTotal("bo1", day, new BigDecimal("100.00"));
    }

    /** WCAG contrast ratio of two colours. */
    private static double contrast(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color colour) {
        double[] channels = {colour.getRed() / 255.0, colour.getGreen() / 255.0, colour.getBlue() / 255.0};
        for (int i = 0; i < 3; i++) {
            channels[i] = channels[i] <= 0.03928 ? channels[i] / 12.92 : Math.pow((channels[i] + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
    }
}
