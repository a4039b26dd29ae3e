package io.salesync.common.db;

import io.salesync.common.sale.Sale;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The columns a sale is stored in, in the same order at the branch and at the head office. */
public final class SaleColumns {

    /** The column names, in the order {@link #bind} binds them. */
    public static final String NAMES =
            "sale_id, sale_date, region, product, qty, cost, amt, tax, total, version, deleted";

    /** How many columns {@link #NAMES} holds. */
    public static final int COUNT = 11;

    private SaleColumns() {}

    /** Binds a sale's columns from parameter {@code first} on; returns the index of the next parameter. */
    public static int bind(PreparedStatement statement, int first, Sale sale) throws SQLException {
        statement.setString(first, sale.id().toString());
        SqlValues.setDate(statement, first + 1, sale.date());
        statement.setString(first + 2, sale.region());
        statement.setString(first + 3, sale.product());
        statement.setInt(first + 4, sale.qty());
        statement.setBigDecimal(first + 5, sale.cost());
        statement.setBigDecimal(first + 6, sale.amt());
        statement.setBigDecimal(first + 7, sale.tax());
        statement.setBigDecimal(first + 8, sale.total());
        statement.setLong(first + 9, sale.version());
        statement.setBoolean(first + 10, sale.deleted());
        return first + COUNT;
    }
}
