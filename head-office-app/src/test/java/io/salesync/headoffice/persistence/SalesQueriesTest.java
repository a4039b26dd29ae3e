package io.salesync.headoffice.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.headoffice.model.SalesColumn;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.model.SalesSort;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SalesQueriesTest {

    @Test
    void noFilterMeansEveryLiveSale() {
        SalesQueries.Where where = SalesQueries.where(SalesFilter.ALL);
        assertThat(where.sql()).isEqualTo("deleted = 0");
        assertThat(where.parameters()).isEmpty();
    }

    @Test
    void everyFilterValueIsAParameter() {
        SalesFilter filter = new SalesFilter(
                Set.of("bo2", "bo1"),
                LocalDate.of(2026, 1, 1),
                LocalDate.of(2026, 1, 31),
                "North'; DROP TABLE sale; --",
                "50%_off!");
        SalesQueries.Where where = SalesQueries.where(filter);
        assertThat(where.sql())
                .isEqualTo("deleted = 0 AND branch_id IN (?, ?) AND sale_date >= ? AND sale_date <= ?"
                        + " AND region = ? AND product LIKE ? ESCAPE '!'");
        assertThat(where.parameters())
                .containsExactly(
                        "bo1",
                        "bo2",
                        Date.valueOf("2026-01-01"),
                        Date.valueOf("2026-01-31"),
                        "North'; DROP TABLE sale; --",
                        "%50!%!_off!!%");
    }

    @Test
    void theOrderIsTotalSoPagesNeitherOverlapNorSkip() {
        assertThat(SalesQueries.orderBy(SalesSort.DEFAULT, ""))
                .isEqualTo("sale_date DESC, branch_id DESC, sale_id DESC");
        assertThat(SalesQueries.orderBy(new SalesSort(SalesColumn.TOTAL, true), "s."))
                .isEqualTo("s.total ASC, s.branch_id ASC, s.sale_id ASC");
        assertThat(SalesQueries.orderBy(new SalesSort(SalesColumn.BRANCH, true), ""))
                .isEqualTo("branch_id ASC, sale_id ASC");
    }

    @Test
    void sumsComeFromTheSmallestSummaryThatAnswersTheFilter() {
        LocalDate day = LocalDate.of(2026, 1, 1);
        SalesFilter branches = new SalesFilter(Set.of("bo1"), null, null, null, null);
        SalesFilter branchesAndDays = new SalesFilter(Set.of("bo1"), day, null, null, null);
        SalesFilter branchesAndRegion = new SalesFilter(Set.of("bo1"), null, null, "North", null);
        SalesFilter daysAndRegion = new SalesFilter(Set.of(), day, day, "North", null);
        SalesFilter product = new SalesFilter(Set.of(), null, null, null, "Lamp");

        assertThat(SalesQueries.Source.forTotals(SalesFilter.ALL)).isEqualTo(SalesQueries.Source.DAY_REGION);
        assertThat(SalesQueries.Source.forTotals(daysAndRegion)).isEqualTo(SalesQueries.Source.DAY_REGION);
        assertThat(SalesQueries.Source.forTotals(branches)).isEqualTo(SalesQueries.Source.BRANCH);
        assertThat(SalesQueries.Source.forTotals(branchesAndDays)).isEqualTo(SalesQueries.Source.BRANCH_DAY_REGION);
        assertThat(SalesQueries.Source.forTotals(branchesAndRegion)).isEqualTo(SalesQueries.Source.BRANCH_DAY_REGION);
        assertThat(SalesQueries.Source.forTotals(product)).isEqualTo(SalesQueries.Source.SALES);

        assertThat(SalesQueries.Source.forDays(SalesFilter.ALL)).isEqualTo(SalesQueries.Source.DAY_REGION);
        assertThat(SalesQueries.Source.forDays(daysAndRegion)).isEqualTo(SalesQueries.Source.DAY_REGION);
        assertThat(SalesQueries.Source.forDays(branches)).isEqualTo(SalesQueries.Source.BRANCH_DAY_REGION);
        assertThat(SalesQueries.Source.forDays(product)).isEqualTo(SalesQueries.Source.SALES);
    }

    @Test
    void aSummaryFilterNamesOnlyColumnsItsSummaryHas() {
        SalesFilter branches = new SalesFilter(Set.of("bo1"), null, null, null, null);
        SalesFilter daysAndRegion = new SalesFilter(Set.of(), LocalDate.of(2026, 1, 1), null, "North", null);

        assertThat(SalesQueries.summaryWhere(branches).sql()).isEqualTo("1 = 1 AND branch_id IN (?)");
        assertThat(SalesQueries.summaryWhere(daysAndRegion).sql())
                .isEqualTo("1 = 1 AND sale_date >= ? AND region = ?")
                .doesNotContain("branch_id");
    }
}
