package io.salesync.headoffice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ChartPlanTest {

    @Test
    void aFewBranchesKeepOneLineEach() {
        assertThat(ChartPlan.of(2, Set.of())).isEqualTo(new ChartPlan(false, true, null, null, null));
        assertThat(ChartPlan.of(8, Set.of("bo1", "bo2"))).isEqualTo(ChartPlan.of(2, Set.of()));
        assertThat(ChartPlan.of(2, Set.of()).title("day")).isEqualTo("Total sales per branch per day");
    }

    @Test
    void manyBranchesWithNonePickedShowTheirTotalOnly() {
        ChartPlan plan = ChartPlan.of(200, Set.of());

        assertThat(plan.total()).isTrue();
        assertThat(plan.eachBranch()).isFalse();
        assertThat(plan.totalLabel()).isEqualTo("Total of all 200 branches");
        assertThat(plan.title("day")).isEqualTo("Total sales per day: all 200 branches");
        assertThat(plan.hint()).isEqualTo("pick up to 8 branches in the filter to see each");
    }

    @Test
    void manyBranchesShowTheTotalOfThePickedAndEachOfThem() {
        ChartPlan plan = ChartPlan.of(200, Set.of("bo7", "bo42", "bo150"));

        assertThat(plan.total()).isTrue();
        assertThat(plan.eachBranch()).isTrue();
        assertThat(plan.totalLabel()).isEqualTo("Total of the 3 picked branches");
        assertThat(plan.title("week")).isEqualTo("Total sales per week: 3 picked and each");
        assertThat(plan.hint()).isNull();
    }

    @Test
    void onePickedBranchIsItsOwnTotal() {
        assertThat(ChartPlan.of(200, Set.of("bo7"))).isEqualTo(new ChartPlan(false, true, null, null, null));
    }

    @Test
    void moreThanEightPickedShowOnlyTheirTotal() {
        Set<String> nine = Set.of("bo1", "bo2", "bo3", "bo4", "bo5", "bo6", "bo7", "bo8", "bo9");

        ChartPlan plan = ChartPlan.of(200, nine);

        assertThat(plan.total()).isTrue();
        assertThat(plan.eachBranch()).isFalse();
        assertThat(plan.totalLabel()).isEqualTo("Total of the 9 picked branches");
        assertThat(plan.hint()).isEqualTo("pick 8 or fewer to see each");
    }
}
