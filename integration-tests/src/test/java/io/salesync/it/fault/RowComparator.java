package io.salesync.it.fault;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Compares one branch's {@code sale} table with that branch's rows at the head office, row by row:
 * the key, the version, the tombstone flag and every sale field. It also checks the head office's
 * summaries of the branch ({@code sale_daily} per day and region, {@code sale_branch_total}) against
 * sums of the branch's live sales, where a change applied twice would show even when the rows look
 * right, and the summary over all branches ({@code sale_daily_all}, summed over the applier lanes)
 * against the per-branch one.
 */
final class RowComparator {

    private static final String BRANCH_ROWS = """
            SELECT sale_id, sale_date, region, product, qty, cost, amt, tax, total, version, deleted FROM sale""";
    private static final String HEAD_OFFICE_ROWS = """
            SELECT sale_id, sale_date, region, product, qty, cost, amt, tax, total, version, deleted
            FROM sale WHERE branch_id = ?""";
    private static final String HEAD_OFFICE_DAILY = """
            SELECT sale_date, region, sales, qty, amt, tax, total FROM sale_daily WHERE branch_id = ?""";
    private static final String HEAD_OFFICE_BRANCH_TOTAL = """
            SELECT NULL, '', sales, qty, amt, tax, total FROM sale_branch_total WHERE branch_id = ?""";
    private static final String DAILY_OVER_BRANCHES = """
            SELECT sale_date, region, SUM(sales), SUM(qty), SUM(amt), SUM(tax), SUM(total)
            FROM sale_daily GROUP BY sale_date, region""";
    private static final String DAILY_OVER_LANES = """
            SELECT sale_date, region, SUM(sales), SUM(qty), SUM(amt), SUM(tax), SUM(total)
            FROM sale_daily_all GROUP BY sale_date, region""";
    /** The name of the comparison of the all-branch summary, which is no branch's. */
    static final String ALL_BRANCHES = "(all branches)";

    private static final int EXAMPLES = 5;

    /** One row as both ends store it. */
    record SaleState(
            String saleId,
            LocalDate date,
            String region,
            String product,
            int qty,
            BigDecimal cost,
            BigDecimal amt,
            BigDecimal tax,
            BigDecimal total,
            long version,
            boolean deleted) {

        boolean sameContent(SaleState other) {
            return date.equals(other.date)
                    && region.equals(other.region)
                    && product.equals(other.product)
                    && qty == other.qty
                    && cost.compareTo(other.cost) == 0
                    && amt.compareTo(other.amt) == 0
                    && tax.compareTo(other.tax) == 0
                    && total.compareTo(other.total) == 0
                    && deleted == other.deleted;
        }

        String describe() {
            return "v" + version + (deleted ? " deleted" : "") + " " + date + " " + region + " " + product + " x" + qty
                    + " @" + cost + " total " + total;
        }
    }

    /**
     * The outcome for one branch.
     *
     * @param lost             rows the branch has that the head office lacks, or holds at an older version
     * @param phantoms         rows the head office holds for the branch that the branch never had
     * @param differing        same key and version but other content, or a newer version than the branch's
     * @param summaryLinesOff  (day, region) lines of {@code sale_daily}, and the branch's line of
     *                         {@code sale_daily_all}, whose figures differ from the branch's sums
     * @param countedTwice     sales the summary counts beyond the branch's live sales, summed over lines
     * @param examples         a few differences, described
     */
    record Comparison(
            String branchId,
            int branchRows,
            int headOfficeRows,
            int lost,
            int phantoms,
            int differing,
            int summaryLinesOff,
            long countedTwice,
            List<String> examples) {

        boolean matched() {
            return lost == 0 && phantoms == 0 && differing == 0 && summaryLinesOff == 0;
        }

        /** Rows or effects present more often at the head office than at the branch. */
        long duplicates() {
            return phantoms + countedTwice;
        }
    }

    private record DayLine(LocalDate date, String region) {}

    private record DayFigures(long sales, long qty, BigDecimal amt, BigDecimal tax, BigDecimal total) {

        static final DayFigures ZERO = new DayFigures(0, 0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

        DayFigures plus(DayFigures other) {
            return new DayFigures(
                    sales + other.sales,
                    qty + other.qty,
                    amt.add(other.amt),
                    tax.add(other.tax),
                    total.add(other.total));
        }

        DayFigures plus(SaleState sale) {
            return new DayFigures(
                    sales + 1, qty + sale.qty(), amt.add(sale.amt()), tax.add(sale.tax()), total.add(sale.total()));
        }

        boolean sameAs(DayFigures other) {
            return sales == other.sales
                    && qty == other.qty
                    && amt.compareTo(other.amt) == 0
                    && tax.compareTo(other.tax) == 0
                    && total.compareTo(other.total) == 0;
        }
    }

    private final DataSource headOffice;

    RowComparator(DataSource headOffice) {
        this.headOffice = headOffice;
    }

    Comparison compare(String branchId, DataSource branch) throws SQLException {
        Map<String, SaleState> atBranch = rows(branch, BRANCH_ROWS, null);
        Map<String, SaleState> atHeadOffice = rows(headOffice, HEAD_OFFICE_ROWS, branchId);
        List<String> examples = new ArrayList<>();
        int lost = 0;
        int differing = 0;
        for (SaleState mine : atBranch.values()) {
            SaleState theirs = atHeadOffice.get(mine.saleId());
            if (theirs == null || theirs.version() < mine.version()) {
                lost++;
                example(
                        examples,
                        "lost " + mine.saleId() + ": branch " + mine.describe() + ", head office "
                                + (theirs == null ? "none" : theirs.describe()));
            } else if (theirs.version() > mine.version() || !theirs.sameContent(mine)) {
                differing++;
                example(
                        examples,
                        "differs " + mine.saleId() + ": branch " + mine.describe() + ", head office "
                                + theirs.describe());
            }
        }
        Set<String> phantomIds = new HashSet<>(atHeadOffice.keySet());
        phantomIds.removeAll(atBranch.keySet());
        for (String id : phantomIds) {
            example(
                    examples,
                    "phantom " + id + " at the head office: "
                            + atHeadOffice.get(id).describe());
        }
        Map<DayLine, DayFigures> expected = new HashMap<>();
        for (SaleState sale : atBranch.values()) {
            if (!sale.deleted()) {
                expected.merge(
                        new DayLine(sale.date(), sale.region()), DayFigures.ZERO.plus(sale), (a, b) -> a.plus(sale));
            }
        }
        Map<DayLine, DayFigures> summary = lines(HEAD_OFFICE_DAILY, branchId);
        int linesOff = linesOff(expected, summary, examples, "summary ");
        long countedTwice = countedTwice(expected, summary);
        DayFigures branchTotal = expected.values().stream().reduce(DayFigures.ZERO, DayFigures::plus);
        Map<DayLine, DayFigures> stored = lines(HEAD_OFFICE_BRANCH_TOTAL, branchId);
        Map<DayLine, DayFigures> wanted = branchTotal.sales() == 0 ? Map.of() : Map.of(TOTAL_LINE, branchTotal);
        linesOff += linesOff(wanted, stored, examples, "branch total ");
        return new Comparison(
                branchId,
                atBranch.size(),
                atHeadOffice.size(),
                lost,
                phantomIds.size(),
                differing,
                linesOff,
                countedTwice,
                List.copyOf(examples));
    }

    /**
     * The summary over all branches against the per-branch summary, each summed per day and region;
     * its lines off count as summary lines off of a comparison named {@link #ALL_BRANCHES}.
     */
    Comparison compareAllBranches() throws SQLException {
        List<String> examples = new ArrayList<>();
        Map<DayLine, DayFigures> perBranch = lines(DAILY_OVER_BRANCHES, null);
        Map<DayLine, DayFigures> overLanes = lines(DAILY_OVER_LANES, null);
        int linesOff = linesOff(perBranch, overLanes, examples, "all-branch summary ");
        return new Comparison(
                ALL_BRANCHES, 0, 0, 0, 0, 0, linesOff, countedTwice(perBranch, overLanes), List.copyOf(examples));
    }

    private static final DayLine TOTAL_LINE = new DayLine(null, "");

    /** Lines whose figures differ between what they should be and what is stored (absent: zero). */
    private static int linesOff(
            Map<DayLine, DayFigures> want, Map<DayLine, DayFigures> have, List<String> examples, String what) {
        Set<DayLine> lines = new HashSet<>(want.keySet());
        lines.addAll(have.keySet());
        int off = 0;
        for (DayLine line : lines) {
            DayFigures expected = want.getOrDefault(line, DayFigures.ZERO);
            DayFigures stored = have.getOrDefault(line, DayFigures.ZERO);
            if (!expected.sameAs(stored)) {
                off++;
                example(
                        examples,
                        what + (line.date() == null ? "" : line.date() + " " + line.region()) + ": expected " + expected
                                + ", head office " + stored);
            }
        }
        return off;
    }

    /** Sales the stored lines count beyond what they should, summed over lines. */
    private static long countedTwice(Map<DayLine, DayFigures> want, Map<DayLine, DayFigures> have) {
        long twice = 0;
        for (Map.Entry<DayLine, DayFigures> line : have.entrySet()) {
            twice += Math.max(
                    0,
                    line.getValue().sales()
                            - want.getOrDefault(line.getKey(), DayFigures.ZERO).sales());
        }
        return twice;
    }

    private static void example(List<String> examples, String text) {
        if (examples.size() < EXAMPLES) {
            examples.add(text);
        }
    }

    private static Map<String, SaleState> rows(DataSource source, String sql, String branchId) throws SQLException {
        Map<String, SaleState> rows = new HashMap<>();
        try (Connection connection = source.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            if (branchId != null) {
                statement.setString(1, branchId);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    SaleState state = new SaleState(
                            rs.getString(1),
                            rs.getObject(2, LocalDate.class),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getInt(5),
                            rs.getBigDecimal(6),
                            rs.getBigDecimal(7),
                            rs.getBigDecimal(8),
                            rs.getBigDecimal(9),
                            rs.getLong(10),
                            rs.getBoolean(11));
                    rows.put(state.saleId(), state);
                }
            }
        }
        return rows;
    }

    /** Lines of a summary query: day, region, sales, qty, amt, tax, total; a branch id when it takes one. */
    private Map<DayLine, DayFigures> lines(String sql, String branchId) throws SQLException {
        Map<DayLine, DayFigures> lines = new HashMap<>();
        try (Connection connection = headOffice.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            if (branchId != null) {
                statement.setString(1, branchId);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    lines.put(
                            new DayLine(rs.getObject(1, LocalDate.class), rs.getString(2)),
                            new DayFigures(
                                    rs.getLong(3),
                                    rs.getLong(4),
                                    rs.getBigDecimal(5),
                                    rs.getBigDecimal(6),
                                    rs.getBigDecimal(7)));
                }
            }
        }
        return lines;
    }
}
