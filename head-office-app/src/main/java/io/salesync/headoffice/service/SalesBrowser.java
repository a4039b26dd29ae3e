package io.salesync.headoffice.service;

import io.salesync.common.EventThreadGuard;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StorageException;
import io.salesync.headoffice.model.ChartPlan;
import io.salesync.headoffice.model.DailyTotal;
import io.salesync.headoffice.model.SaleRow;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.model.SalesPage;
import io.salesync.headoffice.model.SalesSnapshot;
import io.salesync.headoffice.model.SalesSort;
import io.salesync.headoffice.model.SalesTotals;
import io.salesync.headoffice.persistence.SalesQueries;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The consolidated sales, read for the window: pages of a filter in a sort order, its totals and the
 * daily totals of the chart. Never loads a whole filter; every method blocks on the database and
 * refuses the Swing event thread. Failures come back as {@link StorageException} with a sentence.
 */
public final class SalesBrowser {

    private final DataSource dataSource;
    private final DatabaseSettings settings;
    private final SalesQueries queries = new SalesQueries();

    public SalesBrowser(DataSource dataSource, DatabaseSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /**
     * The totals of a filter and the pages starting at {@code offsets}, read in one transaction so
     * that they agree with each other.
     */
    public SalesSnapshot snapshot(SalesFilter filter, SalesSort sort, List<Long> offsets, int pageSize) {
        EventThreadGuard.requireOffEventThread("reading sales");
        return read("read the sales", connection -> {
            SalesTotals totals = queries.totals(connection, filter);
            List<SalesPage> pages = new ArrayList<>(offsets.size());
            for (long offset : offsets) {
                if (offset < totals.count()) {
                    pages.add(new SalesPage(offset, queries.page(connection, filter, sort, offset, pageSize)));
                }
            }
            return new SalesSnapshot(totals, pages);
        });
    }

    /** Rows {@code offset} to {@code offset + pageSize - 1}. */
    public SalesPage page(SalesFilter filter, SalesSort sort, long offset, int pageSize) {
        EventThreadGuard.requireOffEventThread("reading a page of sales");
        return read(
                "read a page of sales",
                connection -> new SalesPage(offset, queries.page(connection, filter, sort, offset, pageSize)));
    }

    /** The rows after {@code after} in the sort order (keyset paging for streaming a whole filter). */
    public List<SaleRow> pageAfter(SalesFilter filter, SalesSort sort, SaleRow after, int pageSize) {
        EventThreadGuard.requireOffEventThread("reading sales for export");
        return read("read the sales", connection -> queries.pageAfter(connection, filter, sort, after, pageSize));
    }

    public SalesTotals totals(SalesFilter filter) {
        EventThreadGuard.requireOffEventThread("computing totals");
        return read("compute the totals", connection -> queries.totals(connection, filter));
    }

    /** Sum of Total per branch and day for the chart. */
    public List<DailyTotal> dailyTotals(SalesFilter filter) {
        EventThreadGuard.requireOffEventThread("computing daily totals");
        return read("compute the daily totals", connection -> queries.dailyTotals(connection, filter));
    }

    /**
     * The chart's data for a plan, in one transaction: the daily total of the filter (branch id
     * null) when the plan has one, then the daily totals of each of the filter's branches when it
     * draws them.
     */
    public List<DailyTotal> chart(SalesFilter filter, ChartPlan plan) {
        EventThreadGuard.requireOffEventThread("computing the chart");
        return read("compute the daily totals", connection -> {
            List<DailyTotal> lines = new ArrayList<>();
            if (plan.total()) {
                lines.addAll(queries.dailySums(connection, filter));
            }
            if (plan.eachBranch()) {
                lines.addAll(queries.dailyTotals(connection, filter));
            }
            return lines;
        });
    }

    /** The choices of the filter bar: branches heard of and regions with live sales. */
    public FilterChoices filterChoices() {
        EventThreadGuard.requireOffEventThread("reading branches and regions");
        return read(
                "read the branches and regions",
                connection -> new FilterChoices(queries.branches(connection), queries.regions(connection)));
    }

    /** Branches and regions the filter bar offers. */
    public record FilterChoices(List<String> branches, List<String> regions) {}

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T read(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
                connection.setReadOnly(false);
            }
        } catch (SQLException e) {
            throw new StorageException("Could not " + what + ". " + Databases.unreachableMessage(settings, e), e);
        }
    }
}
