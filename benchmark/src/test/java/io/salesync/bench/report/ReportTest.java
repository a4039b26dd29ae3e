package io.salesync.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.bench.report.Figures.Percentiles;
import io.salesync.bench.report.Figures.Rate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        Files.writeString(page, "# Performance\n\nBy hand, before.\n\n" + MarkdownReport.BEGIN + "\nold figures\n" + MarkdownReport.END
                + "\n\nBy hand, after.\n");
        Figures figures = new Figures("salesync bench", "test", "2026-11-26T12:00:00Z", 1, "./salesync bench --smoke", true,
                new Figures.Machine(2, 1024, "cpu", "Linux", "Java 17", "MariaDB", "3.10", 128, "1", 0.5), null, null, null, null,
                List.of(), List.of("a note"));

        MarkdownReport.update(page, figures, "docs/bench/latest.json");
        MarkdownReport.update(page, figures, "docs/bench/latest.json");

        String text = Files.readString(page);
        assertThat(text).startsWith("# Performance\n\nBy hand, before.\n\n").endsWith("\n\nBy hand, after.\n")
                .doesNotContain("old figures").contains("./salesync bench --smoke").contains("- a note");
        assertThat(text.split("bench:begin", -1)).hasSize(2);
    }

    @Test
    void aPageWithoutTheMarkersGetsTheSectionAppended() throws Exception {
        Path page = directory.resolve("performance.md");
        Files.writeString(page, "# Performance\n");
        Figures figures = new Figures("salesync bench", "test", "2026-11-26T12:00:00Z", 1, "./salesync bench", false,
                new Figures.Machine(2, 1024, "cpu", "Linux", "Java 17", "MariaDB", "3.10", 128, "1", 0.5), null, null, null, null,
                List.of(), List.of());
        MarkdownReport.update(page, figures, "latest.json");
        assertThat(Files.readString(page)).startsWith("# Performance\n\n## ").contains(MarkdownReport.BEGIN).contains(MarkdownReport.END);
    }
}
