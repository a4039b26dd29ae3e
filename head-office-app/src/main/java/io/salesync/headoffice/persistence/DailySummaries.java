package io.salesync.headoffice.persistence;

import io.salesync.common.EventThreadGuard;
import io.salesync.common.db.MultiRowInsert;
import io.salesync.common.db.SqlValues;
import io.salesync.common.db.StatementGroup;
import io.salesync.headoffice.model.DailyDelta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The three summaries of the live sales, kept in the transaction that changes the sales: per branch,
 * day and region ({@code sale_daily}), per day and region over all branches ({@code sale_daily_all},
 * a line per applier lane so that lanes never wait for each other) and per branch
 * ({@code sale_branch_total}). The window reads whichever is smallest for its filter.
 */
public final class DailySummaries {

    private static final String SUMS = "ON DUPLICATE KEY UPDATE sales = sales + VALUES(sales), qty = qty + VALUES(qty),"
            + " amt = amt + VALUES(amt), tax = tax + VALUES(tax), total = total + VALUES(total)";

    private static final MultiRowInsert<DailyDelta> PER_BRANCH_DAY_REGION = new MultiRowInsert<>(
            "INSERT INTO sale_daily (branch_id, sale_date, region, sales, qty, amt, tax, total)",
            "(?, ?, ?, ?, ?, ?, ?, ?)",
            SUMS,
            (statement, i, delta) -> {
                statement.setString(i, delta.branchId());
                SqlValues.setDate(statement, i + 1, delta.date());
                statement.setString(i + 2, delta.region());
                bindSums(statement, i + 3, delta);
            });

    private static final MultiRowInsert<LaneDelta> PER_DAY_REGION = new MultiRowInsert<>(
            "INSERT INTO sale_daily_all (sale_date, region, lane, sales, qty, amt, tax, total)",
            "(?, ?, ?, ?, ?, ?, ?, ?)",
            SUMS,
            (statement, i, line) -> {
                SqlValues.setDate(statement, i, line.delta().date());
                statement.setString(i + 1, line.delta().region());
                statement.setInt(i + 2, line.lane());
                bindSums(statement, i + 3, line.delta());
            });

    private static final MultiRowInsert<DailyDelta> PER_BRANCH = new MultiRowInsert<>(
            "INSERT INTO sale_branch_total (branch_id, sales, qty, amt, tax, total)",
            "(?, ?, ?, ?, ?, ?)",
            SUMS,
            (statement, i, delta) -> {
                statement.setString(i, delta.branchId());
                bindSums(statement, i + 1, delta);
            });

    /** Lines of the all-branch summary in key order, so that two transactions lock them in the same order. */
    private static final Comparator<DayRegion> KEY_ORDER =
            Comparator.comparing(DayRegion::date).thenComparing(DayRegion::region);

    /** The lanes a summary line can name: {@code sale_daily_all.lane} is a SMALLINT UNSIGNED. */
    public static final int MAX_LANES = 65_536;

    private record DayRegion(LocalDate date, String region) {}

    private record LaneDelta(int lane, DailyDelta delta) {}

    private DailySummaries() {}

    /** Adds the deltas to the three summaries now; {@code lane} names the applier's lines. */
    public static void add(Connection connection, int lane, Collection<DailyDelta> deltas) throws SQLException {
        EventThreadGuard.requireOffEventThread("updating the daily summaries");
        addTo(new StatementGroup(), lane, deltas).execute(connection);
    }

    /** Adds the upserts of the deltas into the three summaries to a group; {@code lane} names the applier's lines. */
    public static StatementGroup addTo(StatementGroup group, int lane, Collection<DailyDelta> deltas) {
        if (lane < 0 || lane >= MAX_LANES) {
            throw new IllegalArgumentException("lane " + lane + " is not between 0 and " + (MAX_LANES - 1));
        }
        if (deltas.isEmpty()) {
            return group;
        }
        Map<DayRegion, DailyDelta> days = new TreeMap<>(KEY_ORDER);
        Map<String, DailyDelta> branches = new TreeMap<>();
        // a merged delta keeps the first one's other key fields; each summary binds only its own key
        for (DailyDelta delta : deltas) {
            days.merge(new DayRegion(delta.date(), delta.region()), delta, DailyDelta::plus);
            branches.merge(delta.branchId(), delta, DailyDelta::plus);
        }
        PER_BRANCH_DAY_REGION.addTo(group, deltas);
        PER_DAY_REGION.addTo(
                group, days.values().stream().map(d -> new LaneDelta(lane, d)).toList());
        return PER_BRANCH.addTo(group, branches.values());
    }

    private static void bindSums(PreparedStatement statement, int first, DailyDelta delta) throws SQLException {
        statement.setLong(first, delta.sales());
        statement.setLong(first + 1, delta.qty());
        statement.setBigDecimal(first + 2, delta.amt());
        statement.setBigDecimal(first + 3, delta.tax());
        statement.setBigDecimal(first + 4, delta.total());
    }
}
