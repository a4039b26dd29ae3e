package io.salesync.headoffice.persistence;

import io.salesync.common.db.SqlValues;
import io.salesync.headoffice.model.RegisteredBranch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/** The head office's registry of branches ({@code branch_registry}): opened, closed, and how each was registered. */
public final class BranchRegistry {

    private static final String COLUMNS = "branch_id, display_name, opened_at, closed_at, registered_by";

    private final DataSource dataSource;

    public BranchRegistry(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every registered branch, open and closed, by id. */
    public Map<String, RegisteredBranch> all() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT " + COLUMNS + " FROM branch_registry ORDER BY branch_id");
                ResultSet rs = statement.executeQuery()) {
            Map<String, RegisteredBranch> branches = new LinkedHashMap<>();
            while (rs.next()) {
                RegisteredBranch branch = read(rs);
                branches.put(branch.branchId(), branch);
            }
            return branches;
        }
    }

    /** One branch, if registered. */
    public Optional<RegisteredBranch> find(String branchId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM branch_registry WHERE branch_id = ?")) {
            statement.setString(1, branchId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Ids of the branches the head office has heard of (a progress row), registered or not. */
    public Set<String> heardOf() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT branch_id FROM branch_progress");
                ResultSet rs = statement.executeQuery()) {
            Set<String> ids = new TreeSet<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        }
    }

    /**
     * Registers a branch by command, or opens a closed one again (its name replaced when one is given).
     *
     * @return true when a row was added or changed, false when the branch was already open
     */
    public boolean open(String branchId, String displayName, Instant at) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT IGNORE INTO branch_registry (" + COLUMNS
                        + ") VALUES (?, ?, ?, NULL, '" + RegisteredBranch.BY_COMMAND + "')");
                PreparedStatement reopen = connection.prepareStatement(
                        "UPDATE branch_registry SET closed_at = NULL, display_name = COALESCE(?, display_name)"
                                + " WHERE branch_id = ? AND closed_at IS NOT NULL")) {
            insert.setString(1, branchId);
            insert.setString(2, displayName);
            SqlValues.setInstant(insert, 3, at);
            if (insert.executeUpdate() > 0) {
                return true;
            }
            reopen.setString(1, displayName);
            reopen.setString(2, branchId);
            return reopen.executeUpdate() > 0;
        }
    }

    /**
     * Closes a branch (registering it closed when it never was registered).
     *
     * @return true when it was open or unknown, false when it was already closed
     */
    public boolean close(String branchId, Instant at) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement close = connection.prepareStatement(
                        "UPDATE branch_registry SET closed_at = ? WHERE branch_id = ? AND closed_at IS NULL");
                PreparedStatement insert = connection.prepareStatement("INSERT IGNORE INTO branch_registry (" + COLUMNS
                        + ") VALUES (?, NULL, ?, ?, '" + RegisteredBranch.BY_COMMAND + "')")) {
            SqlValues.setInstant(close, 1, at);
            close.setString(2, branchId);
            if (close.executeUpdate() > 0) {
                return true;
            }
            insert.setString(1, branchId);
            SqlValues.setInstant(insert, 2, at);
            SqlValues.setInstant(insert, 3, at);
            return insert.executeUpdate() > 0;
        }
    }

    /**
     * Registers branches on their first contact, in the caller's transaction: one {@code INSERT IGNORE}
     * per branch, which leaves a registered branch as it is.
     *
     * @return those of {@code branchIds} that are closed
     */
    public List<String> registerOnFirstContact(Connection connection, Collection<String> branchIds, Instant at)
            throws SQLException {
        List<String> closed = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement("INSERT IGNORE INTO branch_registry (" + COLUMNS
                        + ") VALUES (?, NULL, ?, NULL, '" + RegisteredBranch.BY_FIRST_CONTACT + "')");
                PreparedStatement isClosed = connection.prepareStatement(
                        "SELECT 1 FROM branch_registry WHERE branch_id = ? AND closed_at IS NOT NULL")) {
            for (String branchId : branchIds) {
                insert.setString(1, branchId);
                SqlValues.setInstant(insert, 2, at);
                if (insert.executeUpdate() == 0) {
                    isClosed.setString(1, branchId);
                    try (ResultSet rs = isClosed.executeQuery()) {
                        if (rs.next()) {
                            closed.add(branchId);
                        }
                    }
                }
            }
        }
        return closed;
    }

    private static RegisteredBranch read(ResultSet rs) throws SQLException {
        Timestamp closed = rs.getTimestamp(4);
        return new RegisteredBranch(
                rs.getString(1),
                rs.getString(2),
                rs.getTimestamp(3).toInstant(),
                closed == null ? null : closed.toInstant(),
                rs.getString(5));
    }
}
