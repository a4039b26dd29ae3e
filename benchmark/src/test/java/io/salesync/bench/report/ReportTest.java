package io.salesync.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.bench.env.HeadOfficeProcess.GcFigures;
import io.salesync.bench.env.ProcStats;
import io.salesync.bench.env.Verification.Outcome;
import io.salesync.bench.report.Figures.BrokerCeiling;
import io.salesync.bench.report.Figures.Catchup;
import io.salesync.bench.report.Figures.Ceilings;
import io.salesync.bench.report.Figures.Latency;
import io.salesync.bench.report.Figures.Memory;
import io.salesync.bench.report.Figures.MysqlCeiling;
import io.salesync.bench.report.Figures.Percentiles;
import io.salesync.bench.report.Figures.Rate;
import io.salesync.bench.report.Figures.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir
    Path directory;

    @Test
    void percentilesAreNearestRank() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // 100 .. 1, unsorted
        }
        Percentiles p = Stats.percentiles(values);
        assertThat(p.p50()).isEqualTo(50);
        assertThat(p.p95()).isEqualTo(95);
        assertThat(p.p99()).isEqualTo(99);
        assertThat(p.max()).isEqualTo(100);
        assertThat(p.mean()).isEqualTo(50.5);
        assertThat(Stats.percentiles(new double[0])).isNull();
    }

    @Test
    void aRateIsChangesOverSeconds() {
        assertThat(Rate.of(1_000, 2_000_000_000L)).isEqualTo(new Rate(1_000, 2.0, 500));
    }

    @Test
    void heapSizesReadAsTheJvmReadsThem() {
        assertThat(Targets.parseMib("256m")).isEqualTo(256);
        assertThat(Targets.parseMib("1g")).isEqualTo(1024);
        assertThat(Targets.parseMib("262144k")).isEqualTo(256);
    }

    @Test
    void onlyTheGeneratedSectionOfThePageIsReplaced() throws Exception {
        Path page = directory.resolve("performance.md");
        Files.writeString(
                page,
                "# Performance\n\nBy hand, before.\n\n" + MarkdownReport.BEGIN + "\nold figures\n" + MarkdownReport.END
                        + "\n\nBy hand, after.\n");
        Figures figures = new Figures(
                "salesync bench",
                "test",
                "2026-11-26T12:00:00Z",
                1,
                "./salesync bench --smoke",
                true,
                new Figures.Machine(2, 1024, "cpu", "Linux", "Java 17", "MariaDB", "3.10", 128, "1", 0.5),
                null,
                null,
                null,
                null,
                List.of(),
                List.of("a note"));

        MarkdownReport.update(page, figures, "docs/bench/latest.json");
        MarkdownReport.update(page, figures, "docs/bench/latest.json");

        String text = Files.readString(page);
        assertThat(text)
                .startsWith("# Performance\n\nBy hand, before.\n\n")
                .endsWith("\n\nBy hand, after.\n")
                .doesNotContain("old figures")
                .contains("./salesync bench --smoke")
                .contains("- a note");
        assertThat(text.split("bench:begin", -1)).hasSize(2);
    }

    @Test
    void aPageWithoutTheMarkersGetsTheSectionAppended() throws Exception {
        Path page = directory.resolve("performance.md");
        Files.writeString(page, "# Performance\n");
        Figures figures = new Figures(
                "salesync bench",
                "test",
                "2026-11-26T12:00:00Z",
                1,
                "./salesync bench",
                false,
                new Figures.Machine(2, 1024, "cpu", "Linux", "Java 17", "MariaDB", "3.10", 128, "1", 0.5),
                null,
                null,
                null,
                null,
                List.of(),
                List.of());
        MarkdownReport.update(page, figures, "latest.json");
        assertThat(Files.readString(page))
                .startsWith("# Performance\n\n## ")
                .contains(MarkdownReport.BEGIN)
                .contains(MarkdownReport.END);
    }

    @Test
    void catchUpIsJudgedAgainstTheSlowerOfTheBrokerAndTheHeadOfficeTransaction() {
        // The broker publishes and consumes 16,000/s, MySQL writes the head office's transaction at 11,000/s: 11,000 is
        // the ceiling.
        Ceilings ceilings = ceilings(16_000, 11_000);

        List<Target> targets =
                Targets.evaluate(2, ceilings, List.of(catchup(2, 11_800), catchup(20, 5_000)), null, null);

        assertThat(targets)
                .filteredOn(target -> target.name().equals("catch-up, 2 branches"))
                .singleElement()
                .satisfies(target -> {
                    assertThat(target.met()).isTrue();
                    assertThat(target.measured()).startsWith("11,800/s = 1.07 x 11,000/s (MySQL's");
                });
        assertThat(targets)
                .filteredOn(target -> target.name().equals("catch-up, 20 branches"))
                .singleElement()
                .satisfies(target -> assertThat(target.met()).isFalse());
        // With a slower broker, the broker's rate is the one judged against.
        assertThat(Targets.evaluate(2, ceilings(8_000, 11_000), List.of(catchup(2, 5_000)), null, null))
                .filteredOn(target -> target.name().equals("catch-up, 2 branches"))
                .singleElement()
                .satisfies(target -> {
                    assertThat(target.met()).isTrue();
                    assertThat(target.measured()).startsWith("5,000/s = 0.63 x 8,000/s (the broker's");
                });
    }

    @Test
    void latencyIsReportedNotJudgedOnTwoCoresAndJudgedOnMore() {
        Latency latency = latency(36.7, 400.7);

        assertThat(Targets.evaluate(2, null, null, latency, null))
                .extracting(Target::name)
                .containsExactly("latency: nothing lost");
        assertThat(Targets.evaluate(4, null, null, latency, null))
                .extracting(Target::name)
                .containsExactly(
                        "latency p99 at 500 changes/s offered",
                        "latency p50 at 500 changes/s offered",
                        "latency: nothing lost");
    }

    @Test
    void theSectionShowsTheMachineEachFigureWithItsGoalAndTheCeilings() {
        Ceilings ceilings = ceilings(16_000, 11_000);
        List<Catchup> catchups = List.of(catchup(2, 11_800));
        Latency latency = latency(36.7, 400.7);
        Figures figures = new Figures(
                "salesync bench",
                "a label of the run",
                "2026-11-26T12:00:00Z",
                378,
                "./salesync bench",
                false,
                new Figures.Machine(2, 1024, "AMD EPYC", "Linux", "Java 17", "MariaDB", "3.10", 128, "1", 0.5),
                ceilings,
                catchups,
                latency,
                null,
                Targets.evaluate(2, ceilings, catchups, latency, null),
                List.of());

        String section = MarkdownReport.section(figures, "docs/bench/latest.json");

        assertThat(section)
                .contains("2 cores (AMD EPYC)")
                .contains("`docs/bench/latest.json`")
                .doesNotContain("a label of the run")
                .contains("| catch-up, 2 branches | 11,800/s = 1.07 x 11,000/s")
                .contains(
                        "| latency at 500 changes/s offered, branch commit to head-office commit | p50 36.7, p95 100.0, p99 400.7")
                .contains("the machine at 1.86 of its 2 cores | reported, not a target, on a machine of 2 cores |")
                .contains("**Ceilings of this machine**")
                .contains("| broker: publish and consume at once | 16,000 msg/s")
                .contains("| nothing lost, in every scenario | 2 scenarios, 200 branch rows compared: 0 missing,")
                .doesNotContain("catch-up, 2 branches: nothing lost")
                .doesNotContain("**missed**");
    }

    private static Ceilings ceilings(double publishAndConsume, double applier) {
        Percentiles fast = new Percentiles(5_000, 0.7, 1.0, 3.2, 12.3, 0.8);
        BrokerCeiling broker =
                new BrokerCeiling(350, rate(9_000), rate(34_000), rate(publishAndConsume), 500, fast, fast);
        MysqlCeiling mysql = new MysqlCeiling(
                500, rate(14_000), rate(15_000), rate(applier), 7, rate(41_000), 100, 100, rate(11_400), rate(8_700));
        return new Ceilings(broker, mysql, Map.of(ProcStats.MACHINE, 1.2));
    }

    private static Catchup catchup(int branches, double perSecond) {
        return new Catchup(
                branches,
                200_000 / branches,
                Map.of(),
                "the queue",
                rate(20_000),
                rate(17_000),
                1_400,
                rate(perSecond),
                perSecond / 34_000,
                null,
                null,
                null,
                memory(),
                Map.of(),
                Map.of(),
                nothingLost());
    }

    private static Latency latency(double p50, double p99) {
        return new Latency(
                10,
                2,
                500,
                499.7,
                60,
                30,
                Map.of(),
                new Percentiles(30_000, p50, 100, p99, 783, 55),
                new Percentiles(3_000, 1.1, 14.9, 59.8, 125, 3.7),
                null,
                null,
                null,
                2,
                1.7,
                null,
                0,
                memory(),
                Map.of(),
                Map.of(ProcStats.MACHINE, 1.86),
                Map.of(),
                nothingLost());
    }

    private static Rate rate(double perSecond) {
        return new Rate((long) perSecond, 1, perSecond);
    }

    private static Memory memory() {
        return new Memory("head office", 280, "256m", new GcFigures(24, 16, 161, 256, 273), false);
    }

    private static Outcome nothingLost() {
        return new Outcome(2, 100, 100, 0, 0, 0, 0, 0, List.of());
    }
}
