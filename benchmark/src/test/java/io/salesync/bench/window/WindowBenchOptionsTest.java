package io.salesync.bench.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowBenchOptionsTest {

    @Test
    void theSalesAreSpreadOverEightBranchesUnlessToldOtherwise() {
        WindowBenchOptions defaults = WindowBenchOptions.parse(new String[0], Map.of());
        WindowBenchOptions many = WindowBenchOptions.parse(new String[] {"--branches", "200"}, Map.of());

        assertThat(defaults.branches()).isEqualTo(8);
        assertThat(defaults.liveBranch()).isEqualTo("bo9");
        assertThat(many.branches()).isEqualTo(200);
        assertThat(many.liveBranch()).as("never one of the filled branches").isEqualTo("bo201");
        assertThat(many.rows()).isEqualTo(1_000_000);
    }

    @Test
    void aBadBranchCountIsRefusedByName() {
        assertThatThrownBy(() -> WindowBenchOptions.parse(new String[] {"--branches", "0"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--branches takes 1 to 10000");
        assertThatThrownBy(() -> WindowBenchOptions.parse(new String[] {"--branches", "many"}, Map.of()))
                .hasMessageContaining("--branches takes a whole number, not 'many'");
        assertThatThrownBy(() -> WindowBenchOptions.parse(new String[] {"--branches"}, Map.of()))
                .hasMessageContaining("--branches needs a number");
    }
}
