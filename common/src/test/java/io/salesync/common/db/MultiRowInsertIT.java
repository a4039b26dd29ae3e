package io.salesync.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.common.testing.Sandbox;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Multi-row inserts and the text-bound dates and instants, against the real server. */
class MultiRowInsertIT {

    private record Row(int id, LocalDate day, Instant at, BigDecimal amount) {}

    private static final MultiRowInsert<Row> UPSERT = new MultiRowInsert<>(
            "INSERT INTO row_test (id, day, at, amount)",
            "(?, ?, ?, ?)",
            "ON DUPLICATE KEY UPDATE amount = amount + VALUES(amount)",
            (statement, first, row) -> {
                statement.setInt(first, row.id());
                SqlValues.setDate(statement, first + 1, row.day());
                SqlValues.setInstant(statement, first + 2, row.at());
                statement.setBigDecimal(first + 3, row.amount());
            });

    private Sandbox sandbox;
    private DataSource pool;

    @BeforeEach
    void createTable() throws Exception {
        sandbox = new Sandbox();
        pool = sandbox.dataSource("rows");
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE row_test (id INT PRIMARY KEY, day DATE NOT NULL, at TIMESTAMP(3) NULL,"
                    + " amount DECIMAL(12,2) NOT NULL)");
        }
    }

    @AfterEach
    void dropSandbox() {
        sandbox.close();
    }

    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {1, MultiRowInsert.ROWS_PER_STATEMENT, MultiRowInsert.ROWS_PER_STATEMENT * 2 + 7})
    void everyRowArrivesWithItsDateAndItsMilliseconds(int count) throws Exception {
        Instant base = Instant.parse("2026-11-26T23:59:58.987Z");
        List<Row> rows = new ArrayList<>();
        IntStream.range(0, count)
                .forEach(i -> rows.add(new Row(
                        i,
                        LocalDate.of(2026, 1, 1).plusDays(i % 400),
                        i % 10 == 9 ? null : base.plusMillis(i),
                        new BigDecimal("1.25"))));

        write(rows);
        write(rows); // the tail applies to every row of every statement

        try (Connection connection = pool.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT id, day, at, amount FROM row_test ORDER BY id");
                ResultSet rs = statement.executeQuery()) {
            int read = 0;
            while (rs.next()) {
                Row expected = rows.get(read++);
                assertThat(rs.getInt(1)).isEqualTo(expected.id());
                assertThat(rs.getObject(2, LocalDate.class)).isEqualTo(expected.day());
                assertThat(
                                rs.getTimestamp(3) == null
                                        ? null
                                        : rs.getTimestamp(3).toInstant())
                        .isEqualTo(expected.at());
                assertThat(rs.getBigDecimal(4)).isEqualByComparingTo("2.50");
            }
            assertThat(read).isEqualTo(count);
        }
    }

    private void write(List<Row> rows) throws Exception {
        Databases.inTransaction(pool, connection -> UPSERT.execute(connection, rows));
    }
}
