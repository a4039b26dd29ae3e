package io.salesync.common.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An {@code INSERT} of many rows, sent as statements of up to {@link #ROWS_PER_STATEMENT} rows
 * ({@code VALUES (...), (...), ...}) whose values are bound once, in the caller's transaction.
 *
 * <p>The driver can rewrite a JDBC batch into the same statements ({@code rewriteBatchedStatements}),
 * but it copies every row's bindings and encodes every value twice, once to size the packet and once
 * to send it: for the head office's batches of 2,000 changes that was two thirds of the applying
 * thread's CPU.
 *
 * @param <T> what one row is made from
 */
public final class MultiRowInsert<T> {

    /**
     * Rows per statement. A statement this long is still parsed only once per connection (the pool's
     * statement cache takes SQL up to 8 KiB); a longer one would be parsed again for every batch, and
     * the driver's parse is linear in its length.
     */
    public static final int ROWS_PER_STATEMENT = 100;

    /** Binds one row's values, its first parameter at index {@code first}. */
    @FunctionalInterface
    public interface RowBinder<T> {
        void bind(PreparedStatement statement, int first, T row) throws SQLException;
    }

    private final String head;
    private final String row;
    private final String tail;
    private final int parametersPerRow;
    private final RowBinder<T> binder;

    /**
     * @param head   the statement up to the rows: {@code INSERT INTO t (a, b, c)}
     * @param row    one row's values: {@code (?, 0, ?)}
     * @param tail   what follows the rows ({@code ON DUPLICATE KEY UPDATE ...}), or empty
     * @param binder binds one row's parameters, as many as {@code row} has question marks
     */
    public MultiRowInsert(String head, String row, String tail, RowBinder<T> binder) {
        this.head = head;
        this.row = row;
        this.tail = tail;
        this.parametersPerRow = (int) row.chars().filter(c -> c == '?').count();
        this.binder = binder;
        if (parametersPerRow == 0) {
            throw new IllegalArgumentException("a row without parameters: " + row);
        }
    }

    /** Inserts the rows, in order; nothing when there are none. */
    public void execute(Connection connection, Collection<? extends T> rows) throws SQLException {
        List<? extends T> all = rows instanceof List<? extends T> list ? list : new ArrayList<>(rows);
        int full = all.size() / ROWS_PER_STATEMENT;
        if (full > 0) {
            try (PreparedStatement statement = connection.prepareStatement(sql(ROWS_PER_STATEMENT))) {
                for (int chunk = 0; chunk < full; chunk++) {
                    bindAndRun(statement, all.subList(chunk * ROWS_PER_STATEMENT, (chunk + 1) * ROWS_PER_STATEMENT));
                }
            }
        }
        int rest = all.size() - full * ROWS_PER_STATEMENT;
        if (rest > 0) {
            try (PreparedStatement statement = connection.prepareStatement(sql(rest))) {
                bindAndRun(statement, all.subList(all.size() - rest, all.size()));
            }
        }
    }

    /** Adds the rows to a group, as statements of up to {@link #ROWS_PER_STATEMENT} rows; nothing when there are none. */
    public StatementGroup addTo(StatementGroup group, Collection<? extends T> rows) {
        List<? extends T> all = rows instanceof List<? extends T> list ? list : new ArrayList<>(rows);
        for (int from = 0; from < all.size(); from += ROWS_PER_STATEMENT) {
            List<? extends T> chunk = all.subList(from, Math.min(all.size(), from + ROWS_PER_STATEMENT));
            group.add(sql(chunk.size()), (statement, first) -> {
                int index = first;
                for (T value : chunk) {
                    binder.bind(statement, index, value);
                    index += parametersPerRow;
                }
            });
        }
        return group;
    }

    private void bindAndRun(PreparedStatement statement, List<? extends T> rows) throws SQLException {
        int first = 1;
        for (T value : rows) {
            binder.bind(statement, first, value);
            first += parametersPerRow;
        }
        statement.executeUpdate();
    }

    /** The statement for {@code rows} rows. */
    String sql(int rows) {
        StringBuilder sql = new StringBuilder(head.length() + tail.length() + rows * (row.length() + 2) + 10);
        sql.append(head).append(" VALUES ");
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                sql.append(", ");
            }
            sql.append(row);
        }
        if (!tail.isEmpty()) {
            sql.append(' ').append(tail);
        }
        return sql.toString();
    }
}
