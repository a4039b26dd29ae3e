package io.salesync.headoffice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.Health;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code status} prints about the branches' health, with and without {@code --problems}. */
class StatusCommandTest {

    private static BranchHealth branch(String id, Health health, String why) {
        return new BranchHealth(id, null, null, 0, 0, 0, 0, -1, health, why, null, false, null, 0);
    }

    private static final List<BranchHealth> BRANCHES = List.of(
            branch("bo1", Health.HEALTHY, "Up to date; heartbeat 5 s ago."),
            branch("bo2", Health.SILENT, "No heartbeat and no change for 3 min."),
            branch("bo3", Health.HEALTHY, "Up to date; heartbeat 2 s ago."),
            branch("bo4", Health.LAGGING, "12 change(s) behind."));

    @Test
    void problemsListsOnlyTheBranchesThatNeedAttentionWorstFirst() {
        StringWriter text = new StringWriter();

        boolean none = StatusCommand.printHealth(new PrintWriter(text, true), BRANCHES, true);

        assertThat(none).isFalse();
        assertThat(text.toString().lines())
                .containsExactly(
                        "Branches: 2 healthy, 1 lagging, 1 silent",
                        "BRANCH                           STATE      WHY",
                        "bo2                              Silent     No heartbeat and no change for 3 min.",
                        "bo4                              Lagging    12 change(s) behind.");
    }

    @Test
    void withoutProblemsOnlyTheSummaryLineIsPrinted() {
        StringWriter text = new StringWriter();

        boolean none =
                StatusCommand.printHealth(new PrintWriter(text, true), List.of(BRANCHES.get(0), BRANCHES.get(2)), true);

        assertThat(none).isTrue();
        assertThat(text.toString().lines()).containsExactly("Branches: 2 healthy");
    }

    @Test
    void theFullStatusStartsWithTheSummaryLine() {
        StringWriter text = new StringWriter();

        StatusCommand.printHealth(new PrintWriter(text, true), BRANCHES, false);

        assertThat(text.toString().lines().findFirst()).hasValue("Branches: 2 healthy, 1 lagging, 1 silent");
        assertThat(text.toString()).doesNotContain("bo2");
    }
}
