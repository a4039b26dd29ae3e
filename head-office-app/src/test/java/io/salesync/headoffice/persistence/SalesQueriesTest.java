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
}
