package io.salesync.headoffice.persistence;

import io.salesync.common.db.DatabaseProblem;
import io.salesync.common.db.Databases;
import io.salesync.headoffice.model.WriteAccess;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Finds what the connected user may change by asking the server itself: each probe is a write that
 * matches no row, so it changes nothing, but the server checks the user's rights (and a read-only
 * server) before it looks for rows. Nothing to parse from {@code SHOW GRANTS}, and roles and
 * wildcards count as the server counts them.
 */
public final class WriteProbe {

    /** ER_OPTION_PREVENTS_STATEMENT: the server runs read-only. */
    private static final int READ_ONLY_SERVER = 1290;

    private static final String DEAD_LETTERS = "UPDATE dead_letter_log SET status = status WHERE 1 = 0";
    private static final String REQUESTS =
            "INSERT INTO branch_request (request_id, branch_id, action, requested_at, requested_by)"
                    + " SELECT '', '', '', CURRENT_TIMESTAMP(3), '' FROM DUAL WHERE 1 = 0";

    private final DataSource dataSource;

    public WriteProbe(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @throws SQLException when the server cannot be reached or a probe fails for another reason
     *                      than a refused right
     */
    public WriteAccess probe() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            return new WriteAccess(allowed(statement, DEAD_LETTERS), allowed(statement, REQUESTS));
        }
    }

    private static boolean allowed(Statement statement, String probe) throws SQLException {
        try {
            statement.executeUpdate(probe);
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == READ_ONLY_SERVER || Databases.kind(e) == DatabaseProblem.Kind.MISSING_RIGHTS) {
                return false;
            }
            throw e;
        }
    }
}
