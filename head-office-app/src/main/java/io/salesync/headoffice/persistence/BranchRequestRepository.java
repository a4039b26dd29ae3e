package io.salesync.headoffice.persistence;

import io.salesync.common.db.SqlValues;
import io.salesync.common.event.BranchCommand;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * What the head office asked of its branches ({@code branch_request}), so that it honours a resync
 * only when it asked for one, and asks a branch to resend at most once in a while.
 */
public final class BranchRequestRepository {

    /** Whether a resync that starts may reset what the head office holds for its branch. */
    public enum ResyncStart {
        /** Asked for and not started before: it may. */
        CLAIMED,
        /** Asked for and started before: this start is a duplicate. */
        ALREADY_STARTED,
        /** Never asked for (or asked of another branch): it may not. */
        NOT_REQUESTED
    }

    private final DataSource dataSource;

    public BranchRequestRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a request before it is sent. */
    public void record(BranchCommand command) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "INSERT INTO branch_request (request_id, branch_id, action, from_seq, requested_at, requested_by)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, command.requestId().toString());
            statement.setString(2, command.branchId());
            statement.setString(3, command.action().wireName());
            if (command.action() == BranchCommand.Action.RESEND) {
                statement.setLong(4, command.fromSeq());
            } else {
                statement.setNull(4, Types.BIGINT);
            }
            SqlValues.setInstant(statement, 5, command.requestedAt());
            String by = command.requestedBy();
            statement.setString(6, by.length() > 255 ? by.substring(0, 255) : by);
            statement.executeUpdate();
        }
    }

    /**
     * In the applier's transaction: takes the request a starting resync answers (a resync, or a
     * resend the branch could not serve from its outbox), at most once.
     */
    public ResyncStart claimResyncStart(Connection connection, String branchId, UUID requestId, Instant now)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT started_at FROM branch_request WHERE request_id = ? AND branch_id = ?"
                        + " AND action IN ('resync', 'resend') FOR UPDATE")) {
            select.setString(1, requestId.toString());
            select.setString(2, branchId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return ResyncStart.NOT_REQUESTED;
                }
                if (rs.getTimestamp(1) != null) {
                    return ResyncStart.ALREADY_STARTED;
                }
            }
        }
        try (PreparedStatement claim =
                connection.prepareStatement("UPDATE branch_request SET started_at = ? WHERE request_id = ?")) {
            SqlValues.setInstant(claim, 1, now);
            claim.setString(2, requestId.toString());
            claim.executeUpdate();
        }
        return ResyncStart.CLAIMED;
    }

    /** A request to resend or resync: when, and from which number (0 for a resync). */
    public record RepairRequest(Instant requestedAt, long fromSeq) {}

    /** The latest request to this branch to resend or resync, if any. */
    public Optional<RepairRequest> lastRepairRequest(String branchId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT requested_at, COALESCE(from_seq, 0) FROM branch_request WHERE branch_id = ?"
                                + " AND action IN ('resync', 'resend') ORDER BY requested_at DESC LIMIT 1")) {
            statement.setString(1, branchId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next()
                        ? Optional.of(new RepairRequest(rs.getTimestamp(1).toInstant(), rs.getLong(2)))
                        : Optional.empty();
            }
        }
    }
}
