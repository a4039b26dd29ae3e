package io.salesync.headoffice.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The head office's daily summary as stored, and as recomputed from the live sales, line by line. */
final class DailySummary {

    private static final String STORED =
            "SELECT branch_id, sale_date, region, sales, qty, amt, tax, total FROM sale_daily"
                    + " WHERE sales <> 0 OR qty <> 0 OR total <> 0 ORDER BY 1, 2, 3";
    private static final String RECOMPUTED =
            "SELECT branch_id, sale_date, region, COUNT(*), SUM(qty), SUM(amt), SUM(tax),"
                    + " SUM(total) FROM sale WHERE deleted = 0 GROUP BY branch_id, sale_date, region ORDER BY 1, 2, 3";

    private DailySummary() {}

    static List<String> stored(DataSource dataSource) throws SQLException {
        return lines(dataSource, STORED);
    }

    static List<String> recomputed(DataSource dataSource) throws SQLException {
        return lines(dataSource, RECOMPUTED);
    }

    private static List<String> lines(DataSource dataSource, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getLong(4) + "|"
                        + rs.getLong(5) + "|" + rs.getBigDecimal(6).setScale(2) + "|"
                        + rs.getBigDecimal(7).setScale(2)
                        + "|" + rs.getBigDecimal(8).setScale(2));
            }
        }
        return rows;
    }
}
