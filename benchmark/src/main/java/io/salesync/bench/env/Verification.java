package io.salesync.bench.env;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares every branch with the head office row by row: each sale of the branch (tombstones
 * included) must be at the head office with the same version and the same deleted flag, and the
 * head office must hold nothing else for that branch. Nothing may have been dead-lettered.
 */
public final class Verification {

    private Verification() {}

    /** The outcome for all branches of a scenario. */
    public record Outcome(
            int branches,
            long branchRows,
            long headOfficeRows,
            long missing,
            long extra,
            long differing,
            long deadLettered,
            long leftInQueue,
            List<String> examples) {

        public boolean nothingLost() {
            return branches > 0
                    && missing == 0
                    && extra == 0
                    && differing == 0
                    && deadLettered == 0
                    && leftInQueue == 0
                    && branchRows == headOfficeRows;
        }
    }

    private record Row(String id, long version, boolean deleted) {}

    /** Opens a connection to a branch's schema. */
    @FunctionalInterface
    public interface BranchDatabase {
        Connection connect(String branchId) throws SQLException;
    }

    /**
     * @param branches    opens a branch's schema; one branch at a time is open
     * @param headOffice  a connection to the head office schema
     * @param leftInQueue messages still in the head office's queues (sales and dead letters)
     */
    public static Outcome compare(
            List<String> branchIds, BranchDatabase branches, Connection headOffice, long leftInQueue)
            throws SQLException {
        long branchRows = 0;
        long headOfficeRows = 0;
        long missing = 0;
        long extra = 0;
        long differing = 0;
        List<String> examples = new ArrayList<>();
        for (int b = 0; b < branchIds.size(); b++) {
            String branchId = branchIds.get(b);
            List<Row> atBranch;
            try (Connection branch = branches.connect(branchId)) {
                atBranch = rows(branch, "SELECT sale_id, version, deleted FROM sale ORDER BY sale_id", null);
            }
            List<Row> atHeadOffice = rows(
                    headOffice,
                    "SELECT sale_id, version, deleted FROM sale WHERE branch_id = ? ORDER BY sale_id",
                    branchId);
            branchRows += atBranch.size();
            headOfficeRows += atHeadOffice.size();
            int i = 0;
            int j = 0;
            while (i < atBranch.size() || j < atHeadOffice.size()) {
                int order = i == atBranch.size()
                        ? 1
                        : j == atHeadOffice.size()
                                ? -1
                                : atBranch.get(i)
                                        .id()
                                        .compareTo(atHeadOffice.get(j).id());
                if (order < 0) {
                    missing++;
                    example(examples, branchId + ": sale " + atBranch.get(i).id() + " is not at the head office");
                    i++;
                } else if (order > 0) {
                    extra++;
                    example(
                            examples,
                            branchId + ": the head office has sale "
                                    + atHeadOffice.get(j).id() + " the branch has not");
                    j++;
                } else {
                    Row mine = atBranch.get(i);
                    Row theirs = atHeadOffice.get(j);
                    if (mine.version() != theirs.version() || mine.deleted() != theirs.deleted()) {
                        differing++;
                        example(
                                examples,
                                branchId + ": sale " + mine.id() + " is version " + mine.version()
                                        + (mine.deleted() ? " (deleted)" : "") + " at the branch, " + theirs.version()
                                        + (theirs.deleted() ? " (deleted)" : "") + " at the head office");
                    }
                    i++;
                    j++;
                }
            }
        }
        long deadLettered = count(headOffice, "SELECT COUNT(*) FROM dead_letter_log");
        return new Outcome(
                branchIds.size(),
                branchRows,
                headOfficeRows,
                missing,
                extra,
                differing,
                deadLettered,
                leftInQueue,
                List.copyOf(examples));
    }

    private static void example(List<String> examples, String text) {
        if (examples.size() < 5) {
            examples.add(text);
        }
    }

    private static List<Row> rows(Connection connection, String sql, String branchId) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (branchId != null) {
                statement.setString(1, branchId);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1).toLowerCase(Locale.ROOT), rs.getLong(2), rs.getBoolean(3)));
                }
            }
        }
        // Compare in Java's order, whatever the collation.
        rows.sort((a, b) -> a.id().compareTo(b.id()));
        return rows;
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
