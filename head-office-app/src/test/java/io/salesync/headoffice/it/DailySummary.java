package io.salesync.headoffice.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The head office's summaries of the live sales as stored, and as recomputed from the sales, line by
 * line: per branch, day and region ({@code sale_daily}), per day and region over all branches
 * ({@code sale_daily_all}, summed over the applier lanes) and per branch ({@code sale_branch_total}).
 * Lines whose figures are all zero are left out of the stored ones: a summary keeps a line after its
 * last sale is deleted.
 */
final class DailySummary {

    private static final String FIGURES = "SUM(sales), SUM(qty), SUM(amt), SUM(tax), SUM(total)";
    private static final String NOT_ZERO =
            " HAVING SUM(sales) <> 0 OR SUM(qty) <> 0 OR SUM(amt) <> 0 OR SUM(tax) <> 0 OR SUM(total) <> 0";
    private static final String FROM_SALES =
            "COUNT(*), SUM(qty), SUM(amt), SUM(tax), SUM(total) FROM sale WHERE deleted = 0";

    /** A summary's stored lines and the same lines recomputed from the live sales, in the same order. */
    enum Summary {
        PER_BRANCH_DAY_REGION(
                "SELECT branch_id, sale_date, region, " + FIGURES + " FROM sale_daily GROUP BY 1, 2, 3" + NOT_ZERO
                        + " ORDER BY 1, 2, 3",
                "SELECT branch_id, sale_date, region, " + FROM_SALES + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"),
        PER_DAY_REGION(
                "SELECT sale_date, region, " + FIGURES + " FROM sale_daily_all GROUP BY 1, 2" + NOT_ZERO
                        + " ORDER BY 1, 2",
                "SELECT sale_date, region, " + FROM_SALES + " GROUP BY 1, 2 ORDER BY 1, 2"),
        PER_BRANCH(
                "SELECT branch_id, " + FIGURES + " FROM sale_branch_total GROUP BY 1" + NOT_ZERO + " ORDER BY 1",
                "SELECT branch_id, " + FROM_SALES + " GROUP BY 1 ORDER BY 1");

        private final String stored;
        private final String recomputed;

        Summary(String stored, String recomputed) {
            this.stored = stored;
            this.recomputed = recomputed;
        }
    }

    private DailySummary() {}

    /** Every summary's lines as stored, each line after its summary's name. */
    static List<String> stored(DataSource dataSource) throws SQLException {
        List<String> lines = new ArrayList<>();
        for (Summary summary : Summary.values()) {
            lines.addAll(lines(dataSource, summary, summary.stored));
        }
        return lines;
    }

    /** Every summary's lines recomputed from the live sales, as {@link #stored} lists them. */
    static List<String> recomputed(DataSource dataSource) throws SQLException {
        List<String> lines = new ArrayList<>();
        for (Summary summary : Summary.values()) {
            lines.addAll(lines(dataSource, summary, summary.recomputed));
        }
        return lines;
    }

    /** The first column of a query's rows, as text. */
    static List<String> column(DataSource dataSource, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static List<String> lines(DataSource dataSource, Summary summary, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder line = new StringBuilder(summary.name()).append(' ');
                for (int i = 1; i <= columns; i++) {
                    line.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(line.toString());
            }
        }
        return rows;
    }
}
