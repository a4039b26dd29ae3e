package io.salesync.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesync.bench.BenchOptions.Phase;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    private static BenchOptions parse(String... args) {
        return BenchOptions.parse(args, Map.of());
    }

    @Test
    void fullRunDefaultsAreTheIssuesSizes() {
        BenchOptions options = parse();
        assertThat(options.phases()).containsExactly(Phase.CEILINGS, Phase.CATCHUP, Phase.LATENCY, Phase.SCALE);
        assertThat(options.catchupBranches()).containsExactly(2, 20);
        assertThat(options.catchupSales()).containsExactly(100_000, 10_000);
        assertThat(options.latencyBranches()).isEqualTo(10);
        assertThat(options.clerks()).isEqualTo(2);
        assertThat(options.rate()).isEqualTo(500);
        assertThat(options.durationSeconds()).isEqualTo(60);
        assertThat(options.scaleBranches()).isEqualTo(100);
        assertThat(options.mix().toString()).isEqualTo("70:20:10");
        assertThat(options.out().toString()).endsWith("docs/bench/latest.json");
        assertThat(options.doc().toString()).endsWith("docs/performance.md");
        assertThat(options.headOfficeHeap()).isEqualTo("256m");
    }

    @Test
    void smokeShrinksEverySizeAndLeavesTheDocsAlone() {
        BenchOptions options = parse("--smoke");
        assertThat(options.catchupSales()).containsExactly(500);
        assertThat(options.catchupBranches()).containsExactly(2);
        assertThat(options.doc()).isNull();
        assertThat(options.out().toString()).endsWith("target/bench/smoke.json");
    }

    @Test
    void anExplicitSizeWinsOverTheSmokeDefaults() {
        assertThat(parse("--smoke", "--sales", "2_000").catchupSales()).containsExactly(2_000);
    }

    @Test
    void oneBacklogSizeServesEveryBranchCountOrEachHasItsOwn() {
        assertThat(parse("--branches", "2,20", "--sales", "5000").catchupSales())
                .containsExactly(5_000, 5_000);
        assertThat(parse("--branches", "2,20", "--sales", "5000,500").catchupSales())
                .containsExactly(5_000, 500);
        assertThatThrownBy(() -> parse("--branches", "2,20", "--sales", "1,2,3"))
                .hasMessageContaining("--sales");
    }

    @Test
    void aBranchGetsOneClerkPerTwentyFiveChangesASecond() {
        assertThat(parse("--latency-branches", "2", "--rate", "500").clerks()).isEqualTo(10);
        assertThat(parse("--latency-branches", "2", "--rate", "500", "--clerks", "3")
                        .clerks())
                .isEqualTo(3);
    }

    @Test
    void settingsForTheApplicationsAreCollected() {
        BenchOptions options =
                parse("--ho-set", "salesync.consumer.prefetch=2000", "--branch-set", "salesync.relay.batch-size=1000");
        assertThat(options.headOfficeSettings()).containsEntry("salesync.consumer.prefetch", "2000");
        assertThat(options.branchSettings()).containsEntry("salesync.relay.batch-size", "1000");
        assertThat(options.command()).contains("--ho-set salesync.consumer.prefetch=2000");
    }

    @Test
    void aBadValueNamesItsOption() {
        assertThatThrownBy(() -> parse("--rate", "fast")).hasMessageContaining("--rate");
        assertThatThrownBy(() -> parse("--mix", "70:30")).hasMessageContaining("--mix");
        assertThatThrownBy(() -> parse("--phases", "catchup,speed")).hasMessageContaining("speed");
        assertThatThrownBy(() -> parse("--ho-set", "prefetch")).hasMessageContaining("--ho-set");
        assertThatThrownBy(() -> parse("--scale-branches", "100", "--scale-changes", "50"))
                .hasMessageContaining("--scale-changes");
        assertThatThrownBy(() -> parse("--mysql-url", "mysql://x")).hasMessageContaining("--mysql-url");
    }

    @Test
    void passwordsStayOutOfTheCommandAndTheEndpointsText() {
        BenchOptions options = parse("--mysql-password", "s3cret", "--amqp-password", "t0ps3cret");
        assertThat(options.command()).doesNotContain("s3cret");
        assertThat(options.endpoints().toString()).doesNotContain("s3cret").doesNotContain("t0ps3cret");
    }
}
