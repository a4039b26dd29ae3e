package io.salesync.headoffice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.common.event.BranchMessage;
import io.salesync.common.event.SaleChange;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleIds;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.SaleValidator;
import io.salesync.common.sale.TaxRate;
import io.salesync.common.testing.Sandbox;
import io.salesync.headoffice.model.DailyTotal;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.model.SalesTotals;
import io.salesync.headoffice.persistence.HealthQueries;
import io.salesync.headoffice.persistence.SalesQueries;
import io.salesync.headoffice.service.ChangeApplier;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A line of the daily summaries (one branch, day and region; the branch; the day and region over all
 * branches) holds the sums of as many of the largest sales as a branch can reach,
 * {@link BranchMessage#MAX_SEQ}, and the window's readers still read them. The lines are written as
 * the consumer writes them: the summed earlier sales are put in the lines directly, the last one is
 * applied as a change.
 */
class DailySummaryBoundsIT {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 1);
    private static final long MAX = BranchMessage.MAX_SEQ;

    private final Sandbox sandbox = new Sandbox();
    private final SaleIds ids = new SaleIds(Clock.systemUTC());
    private DataSource dataSource;
    private MigratedApplier schema;
    private ChangeApplier applier;

    /** Qty x Cost and Tax at their largest: 100000 x 999999.99, at a tax rate of 100 %. */
    private final Sale largest = Sale.create(
            ids.next(),
            "bo1",
            new SaleInput(DAY, "North", "Item", SaleValidator.MAX_QTY, SaleValidator.MAX_COST),
            TaxRate.of("1"));

    @BeforeEach
    void migrate() {
        schema = new MigratedApplier(sandbox);
        dataSource = schema.dataSource();
        applier = schema.applier();
    }

    @AfterEach
    void tearDown() {
        schema.close();
        sandbox.close();
    }

    @Test
    void fiftyThousandAndOneOfTheLargestSalesOnOneDayAreSummed() throws Exception {
        // 50,000 x 199999998000.00 still fits DECIMAL(18,2); one more did not, and failed the consumer's transaction
        addToLine(50_000);

        applier.apply(List.of(SaleChange.of(50_001, Instant.now(), largest)), List.of());

        assertThat(sandbox.count("ho", "SELECT sales FROM sale_daily")).isEqualTo(50_001);
        assertThat(line()).isEqualTo(times(50_001));
    }

    @Test
    void theMostSalesABranchCanReachAreSummedInOneLineAndRead() throws Exception {
        addToLine(MAX - 1);
        holdEveryChangeUpTo(MAX - 1);

        applier.apply(List.of(SaleChange.of(MAX, Instant.now(), largest)), List.of());

        assertThat(line()).isEqualTo(times(MAX));
        assertThat(line("SELECT sales, qty, amt, tax, total FROM sale_branch_total"))
                .isEqualTo(times(MAX));
        assertThat(line("SELECT sales, qty, amt, tax, total FROM sale_daily_all"))
                .isEqualTo(times(MAX));
        try (Connection connection = dataSource.getConnection()) {
            SalesTotals totals = new SalesQueries().totals(connection, SalesFilter.ALL);
            assertThat(totals.count()).isEqualTo(MAX);
            assertThat(totals.qty()).isEqualTo(MAX * SaleValidator.MAX_QTY).isEqualTo(1_000_000_000_000_000_000L);
            assertThat(List.of(totals.amt(), totals.tax(), totals.total()))
                    .isEqualTo(times(MAX).subList(2, 5));
            SalesTotals ofTheBranch =
                    new SalesQueries().totals(connection, new SalesFilter(Set.of("bo1"), null, null, null, null));
            assertThat(ofTheBranch).isEqualTo(totals);
            SalesTotals ofTheDay =
                    new SalesQueries().totals(connection, new SalesFilter(Set.of("bo1"), DAY, DAY, "North", null));
            assertThat(ofTheDay).isEqualTo(totals);
            assertThat(new SalesQueries().dailySums(connection, SalesFilter.ALL))
                    .extracting(DailyTotal::total)
                    .containsExactly(largest.total().multiply(BigDecimal.valueOf(MAX)));
            List<DailyTotal> daily = new SalesQueries().dailyTotals(connection, SalesFilter.ALL);
            assertThat(daily).extracting(DailyTotal::date).containsExactly(DAY);
            assertThat(daily.get(0).total())
                    .isEqualByComparingTo(largest.total().multiply(BigDecimal.valueOf(MAX)));
        }
        assertThat(new HealthQueries(dataSource).liveRowsPerBranch()).isEqualTo(Map.of("bo1", MAX));
    }

    /**
     * A line over all branches sums every branch's: ten branches at their bound are beyond what a
     * BIGINT quantity holds, and the consumer still adds to the line.
     */
    @Test
    void aLineOverAllBranchesHoldsTenBranchesAtTheirBound() throws Exception {
        BigDecimal tenBranches = BigDecimal.valueOf(MAX).multiply(BigDecimal.TEN);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO sale_daily_all (sale_date, region, lane, sales, qty, amt, tax, total)"
                                + " VALUES (?, 'North', 0, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, DAY);
            insert.setLong(2, tenBranches.longValueExact());
            insert.setBigDecimal(3, tenBranches.multiply(BigDecimal.valueOf(largest.qty())));
            insert.setBigDecimal(4, largest.amt().multiply(tenBranches));
            insert.setBigDecimal(5, largest.tax().multiply(tenBranches));
            insert.setBigDecimal(6, largest.total().multiply(tenBranches));
            insert.executeUpdate();
        }

        applier.apply(List.of(SaleChange.of(1, Instant.now(), largest)), List.of());

        BigDecimal all = tenBranches.add(BigDecimal.ONE);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT sales, qty, amt, tax, total FROM sale_daily_all WHERE lane = 0");
                var rs = select.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(all.longValueExact());
            assertThat(rs.getBigDecimal(2))
                    .isGreaterThan(BigDecimal.valueOf(Long.MAX_VALUE))
                    .isEqualByComparingTo(all.multiply(BigDecimal.valueOf(largest.qty())));
            assertThat(rs.getBigDecimal(5)).isEqualByComparingTo(largest.total().multiply(all));
        }
        try (Connection connection = dataSource.getConnection()) {
            assertThat(new SalesQueries().dailySums(connection, SalesFilter.ALL))
                    .extracting(DailyTotal::total)
                    .containsExactly(largest.total().multiply(all));
        }
    }

    /** The lines as if {@code sales} of the largest sales had been applied to them already. */
    private void addToLine(long sales) throws SQLException {
        List<Object> sums = times(sales);
        try (Connection connection = dataSource.getConnection()) {
            for (String sql : List.of(
                    "INSERT INTO sale_daily (branch_id, sale_date, region, sales, qty, amt, tax, total)"
                            + " VALUES ('bo1', ?, 'North', ?, ?, ?, ?, ?)",
                    "INSERT INTO sale_daily_all (sale_date, region, lane, sales, qty, amt, tax, total)"
                            + " VALUES (?, 'North', 0, ?, ?, ?, ?, ?)")) {
                try (PreparedStatement insert = connection.prepareStatement(sql)) {
                    insert.setObject(1, DAY);
                    for (int i = 0; i < sums.size(); i++) {
                        insert.setObject(i + 2, sums.get(i));
                    }
                    insert.executeUpdate();
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO sale_branch_total (branch_id, sales, qty, amt, tax, total) VALUES ('bo1', ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < sums.size(); i++) {
                    insert.setObject(i + 1, sums.get(i));
                }
                insert.executeUpdate();
            }
        }
    }

    /** The branch's progress as if every change up to {@code seq} had been applied. */
    private void holdEveryChangeUpTo(long seq) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO branch_progress (branch_id, last_seq,"
                                + " applied_changes, last_message_at, last_applied_at, contiguous_seq) VALUES ('bo1', ?, ?, NOW(3), NOW(3), ?)")) {
            insert.setLong(1, seq);
            insert.setLong(2, seq);
            insert.setLong(3, seq);
            insert.executeUpdate();
        }
    }

    /** Sales, qty, amt, tax and total of {@code sales} of the largest sales. */
    private List<Object> times(long sales) {
        BigDecimal count = BigDecimal.valueOf(sales);
        return List.of(
                sales,
                sales * largest.qty(),
                largest.amt().multiply(count),
                largest.tax().multiply(count),
                largest.total().multiply(count));
    }

    private List<Object> line() throws SQLException {
        return line("SELECT sales, qty, amt, tax, total FROM sale_daily");
    }

    private List<Object> line(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql);
                var rs = select.executeQuery()) {
            assertThat(rs.next()).isTrue();
            List<Object> line = List.of(
                    rs.getLong(1), rs.getLong(2), rs.getBigDecimal(3), rs.getBigDecimal(4), rs.getBigDecimal(5));
            assertThat(rs.next()).as("one line").isFalse();
            return line;
        }
    }
}
