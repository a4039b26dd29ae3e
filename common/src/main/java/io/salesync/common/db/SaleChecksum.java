package io.salesync.common.db;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The order-independent fingerprint of a set of sales that branch and head office both compute:
 * the number of rows, the number of live rows and the sum of CRC32 over {@code id:version:deleted}.
 * Equal figures mean both hold the same versions of the same sales (tombstones included).
 */
public final class SaleChecksum {

    /** The largest value CRC32 takes, 2<sup>32</sup> - 1: a checksum is at most this times its rows. */
    public static final long MAX_CRC32 = 0xFFFF_FFFFL;

    /**
     * Select list over a table with columns {@code sale_id}, {@code version}, {@code deleted}:
     * total rows, live rows, checksum.
     */
    public static final String SELECT_LIST = "COUNT(*), COALESCE(SUM(CASE WHEN deleted THEN 0 ELSE 1 END), 0), "
            + "COALESCE(SUM(CRC32(CONCAT(sale_id, ':', version, ':', CASE WHEN deleted THEN 1 ELSE 0 END))), 0)";

    private SaleChecksum() {}

    /** The three figures; {@link #equals} compares all of them. */
    public record Figures(long rows, long liveRows, BigDecimal checksum) {

        public boolean matches(Figures other) {
            return rows == other.rows && liveRows == other.liveRows && checksum.compareTo(other.checksum) == 0;
        }
    }

    /** Reads the figures from a result set positioned on the row produced by {@link #SELECT_LIST}. */
    public static Figures read(ResultSet rs, int firstColumn) throws SQLException {
        return new Figures(rs.getLong(firstColumn), rs.getLong(firstColumn + 1), rs.getBigDecimal(firstColumn + 2));
    }
}
