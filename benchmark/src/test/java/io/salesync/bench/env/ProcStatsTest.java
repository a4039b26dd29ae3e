package io.salesync.bench.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.bench.env.ProcStats.MachineTicks;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

    @Test
    void machineTicksCountUserNiceSystemIrqAndSoftirqAsBusyAndStealApart() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        MachineTicks ticks = MachineTicks.parse("cpu  470520 3 143725 186416 10001 7 36409 32282 0 0");

        assertThat(ticks.busy()).isEqualTo(470520 + 3 + 143725 + 7 + 36409);
        assertThat(ticks.steal()).isEqualTo(32282);
    }

    @Test
    void aKernelThatDoesNotReportStealHasNone() {
        MachineTicks ticks = MachineTicks.parse("cpu 100 0 50 900 10 1 2");

        assertThat(ticks.busy()).isEqualTo(153);
        assertThat(ticks.steal()).isZero();
    }

    @Test
    void aLineThatIsNotTheMachineTotalIsUnknown() {
        assertThat(MachineTicks.parse("cpu0 100 0 50 900 10 1 2 3").known()).isFalse();
        assertThat(MachineTicks.parse("intr 12345").known()).isFalse();
    }
}
