package io.salesync.headoffice.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BranchChoicesTest {

    private static final List<String> TWO_HUNDRED =
            IntStream.rangeClosed(1, 200).mapToObj(i -> "bo" + i).toList();

    @Test
    void branchesAreListedWithNumbersByValue() {
        List<String> ids = new ArrayList<>(List.of("bo10", "bo2", "bo1", "north-3", "bo100", "bo02", "north-12"));

        ids.sort(BranchChoices.NATURAL);

        assertThat(ids).containsExactly("bo1", "bo02", "bo2", "bo10", "bo100", "north-3", "north-12");
    }

    @Test
    void aSearchShowsTheBranchesContainingAnyOfItsWordsIgnoringCase() {
        assertThat(BranchChoices.shown(TWO_HUNDRED, "bo19"))
                .containsExactly(
                        "bo19", "bo190", "bo191", "bo192", "bo193", "bo194", "bo195", "bo196", "bo197", "bo198",
                        "bo199");
        assertThat(BranchChoices.shown(TWO_HUNDRED, " BO7, bo42 "))
                .containsExactly(
                        "bo7", "bo42", "bo70", "bo71", "bo72", "bo73", "bo74", "bo75", "bo76", "bo77", "bo78", "bo79");
        assertThat(BranchChoices.shown(TWO_HUNDRED, "  ")).hasSize(200);
        assertThat(BranchChoices.shown(TWO_HUNDRED, "north")).isEmpty();
    }

    @Test
    void theSummaryNamesAFewBranchesAndCountsMany() {
        assertThat(BranchChoices.summary(Set.of(), TWO_HUNDRED)).isEqualTo("All branches");
        assertThat(BranchChoices.summary(Set.copyOf(TWO_HUNDRED), TWO_HUNDRED)).isEqualTo("All branches");
        assertThat(BranchChoices.summary(Set.of("bo2", "bo1"), TWO_HUNDRED)).isEqualTo("bo1, bo2");
        assertThat(BranchChoices.summary(Set.of("bo2", "bo10", "bo1"), TWO_HUNDRED))
                .isEqualTo("bo1, bo2, bo10");
        assertThat(BranchChoices.summary(Set.of("bo1", "bo2", "bo3", "bo4"), TWO_HUNDRED))
                .isEqualTo("4 of 200 branches");
        assertThat(BranchChoices.summary(Set.of("head-office-annex-north", "bo1"), TWO_HUNDRED))
                .as("names too long for the bar")
                .isEqualTo("2 of 200 branches");
        assertThat(BranchChoices.summary(Set.copyOf(TWO_HUNDRED.subList(0, 12)), TWO_HUNDRED))
                .isEqualTo("12 of 200 branches");
    }

    @Test
    void everyBranchPickedMeansNoBranchFilter() {
        assertThat(BranchChoices.all(Set.of(), List.of("bo1", "bo2"))).isTrue();
        assertThat(BranchChoices.all(Set.of("bo1", "bo2"), List.of("bo1", "bo2")))
                .isTrue();
        assertThat(BranchChoices.all(Set.of("bo1"), List.of("bo1", "bo2"))).isFalse();
        assertThat(BranchChoices.all(Set.of("bo1"), List.of()))
                .as("branches not known yet")
                .isFalse();
    }
}
