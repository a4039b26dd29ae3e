package io.salesync.branch.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A named MySQL lock that lets only one relay at a time send a branch's outbox (the desktop app and
 * an import started beside it, say). The lock lives as long as the connection that took it, so it
 * is released by itself when the holder dies.
 *
 * <p>Not thread-safe: used by the relay thread only.
 */
public final class RelayLock implements AutoCloseable {

    private final DataSource dataSource;
    private Connection holder;

    public RelayLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the lock if it is free; true when this relay holds it (now or already). */
    public boolean tryAcquire() throws SQLException {
        if (isHeld()) {
            return true;
        }
        release();
        Connection connection = dataSource.getConnection();
        try (PreparedStatement statement =
                        connection.prepareStatement("SELECT GET_LOCK(CONCAT(DATABASE(), '.outbox-relay'), 0)");
                ResultSet rs = statement.executeQuery()) {
            if (rs.next() && rs.getInt(1) == 1) {
                holder = connection;
                return true;
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return false;
    }

    /** True while the connection that took the lock is alive and still owns it. */
    public boolean isHeld() {
        if (holder == null) {
            return false;
        }
        try (PreparedStatement statement = holder.prepareStatement(
                        "SELECT IS_USED_LOCK(CONCAT(DATABASE(), '.outbox-relay')) = CONNECTION_ID()");
                ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    public void release() {
        if (holder != null) {
            try (PreparedStatement statement =
                    holder.prepareStatement("SELECT RELEASE_LOCK(CONCAT(DATABASE(), '.outbox-relay'))")) {
                statement.execute();
            } catch (SQLException ignored) {
                // the connection is gone, and the lock with it
            }
            try {
                holder.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
            holder = null;
        }
    }

    @Override
    public void close() {
        release();
    }
}
