package io.salesync.headoffice.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.Health;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthSummaryTest {

    static BranchHealth branch(String id, Health health) {
        return new BranchHealth(id, null, null, 0, 0, 0, 0, -1, health, health.label() + ".", null, false, null, 0);
    }

    @Test
    void theLineCountsEachStateThatHasBranches() {
        List<BranchHealth> branches = new ArrayList<>();
        for (int i = 0; i < 197; i++) {
            branches.add(branch("b" + i, Health.HEALTHY));
        }
        branches.add(branch("x1", Health.SILENT));
        branches.add(branch("x2", Health.DIVERGED));
        branches.add(branch("x3", Health.SILENT));

        assertThat(HealthSummary.line(branches)).isEqualTo("197 healthy, 2 silent, 1 diverged");
        assertThat(HealthSummary.line(List.of())).isEqualTo("No branch heard of yet.");
    }

    @Test
    void branchesAreSortedWorstFirstThenById() {
        List<BranchHealth> sorted = HealthSummary.worstFirst(List.of(
                branch("a", Health.HEALTHY),
                branch("d", Health.LAGGING),
                branch("c", Health.SILENT),
                branch("b", Health.DIVERGED),
                branch("e", Health.SILENT)));

        assertThat(sorted).extracting(BranchHealth::branchId).containsExactly("b", "c", "e", "d", "a");
    }

    @Test
    void problemsLeaveOutTheHealthy() {
        assertThat(HealthSummary.problems(List.of(branch("a", Health.HEALTHY), branch("d", Health.LAGGING))))
                .extracting(BranchHealth::branchId)
                .containsExactly("d");
    }
}
