package io.salesync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.bench.env.ProcStats;
import io.salesync.bench.env.Verification.Outcome;
import io.salesync.bench.report.Figures;
import io.salesync.bench.report.Figures.Catchup;
import io.salesync.bench.report.Figures.Rate;
import io.salesync.bench.report.Figures.ScaleRun;
import io.salesync.bench.report.JsonReport;
import io.salesync.common.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's smoke configuration, end to end against the real services, so that it cannot rot:
 * every phase runs and reports its figures, and every branch matches the head office row by row.
 * No timing is judged here: a benchmark prints figures, it does not pass or fail on them.
 */
class BenchmarkSmokeIT {

    @TempDir
    Path root;

    @Test
    void smokeRunCompletesWithEveryFigureAndNothingLost() throws Exception {
        TestServices.Mysql mysql = TestServices.mysql();
        TestServices.Amqp amqp = TestServices.amqp();
        Path json = root.resolve("smoke.json");
        Path page = root.resolve("performance.md");
        Files.writeString(page, "# Performance\n\nWritten by people.\n");

        int status = BenchmarkMain.run(new String[] {
            "--smoke",
            "--root",
            root.toString(),
            "--out",
            json.toString(),
            "--doc",
            page.toString(),
            "--mysql-url",
            mysql.baseUrl(),
            "--mysql-user",
            mysql.user(),
            "--mysql-password",
            mysql.password(),
            "--amqp-uri",
            amqp.uri().toString(),
            "--amqp-user",
            amqp.user(),
            "--amqp-password",
            amqp.password()
        });

        assertThat(status).as("exit status").isZero();
        Figures figures = JsonReport.read(json);
        assertCeilings(figures);
        assertThat(figures.catchup()).hasSize(1);
        Catchup catchup = figures.catchup().get(0);
        assertRate(catchup.backlogWrite());
        assertRate(catchup.relayToBroker());
        assertRate(catchup.catchup());
        assertThat(catchup.ratioToDrain()).isPositive();
        assertThat(catchup.headOfficeMemory().peakRssMib()).isPositive();
        assertThat(catchup.headOfficeMemory().outOfMemory()).isFalse();
        assertThat(figures.latency().commitToApplied().count()).isPositive();
        assertThat(figures.latency().commitToApplied().p99()).isPositive();
        // The head office blocks and is woken for every batch it applies: the counts are read.
        assertThat(figures.latency().contextSwitches()).containsKey("head office");
        assertThat(figures.latency().contextSwitches().get("head office").voluntary())
                .isPositive();
        // The machine's own figures, the host's share included (zero off a virtual machine), are read too.
        assertThat(figures.latency().cpuCores()).containsKeys(ProcStats.MACHINE, ProcStats.OTHER, ProcStats.STOLEN);
        assertThat(figures.scale().runs()).extracting(ScaleRun::branches).containsExactly(2, 10);
        figures.scale().runs().forEach(run -> assertRate(run.endToEnd()));
        figures.scale().runs().forEach(run -> assertRate(run.running()));
        assertThat(figures.targets()).isNotEmpty();

        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(catchup.verification());
        outcomes.add(figures.latency().verification());
        figures.scale().runs().forEach(run -> outcomes.add(run.verification()));
        for (Outcome outcome : outcomes) {
            assertThat(outcome.branchRows()).isPositive().isEqualTo(outcome.headOfficeRows());
            assertThat(outcome.missing() + outcome.extra() + outcome.differing())
                    .as("rows that do not match")
                    .isZero();
            assertThat(outcome.deadLettered() + outcome.leftInQueue())
                    .as("dead-lettered or left queued")
                    .isZero();
        }

        String text = Files.readString(page);
        assertThat(text)
                .startsWith("# Performance\n\nWritten by people.")
                .contains("<!-- bench:begin")
                .contains("<!-- bench:end -->")
                .contains("| catch-up, 2 branches |")
                .contains("**Ceilings of this machine**");
    }

    private static void assertCeilings(Figures figures) {
        assertRate(figures.ceilings().broker().publishConfirmed());
        assertRate(figures.ceilings().broker().drain());
        assertRate(figures.ceilings().broker().publishAndConsume());
        assertThat(figures.ceilings().broker().publishToDelivery().count()).isPositive();
        assertThat(figures.ceilings().broker().messageBytes()).isBetween(200, 2_000);
        assertRate(figures.ceilings().mysql().plainUpsert());
        assertRate(figures.ceilings().mysql().productUpsert());
        assertRate(figures.ceilings().mysql().applier());
        assertRate(figures.ceilings().mysql().applierOneBranch());
        assertRate(figures.ceilings().mysql().applierManyBranches());
    }

    private static void assertRate(Rate rate) {
        assertThat(rate.changes()).isPositive();
        assertThat(rate.perSecond()).isPositive();
    }
}
