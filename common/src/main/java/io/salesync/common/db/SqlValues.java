package io.salesync.common.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Binds dates and instants as the text MySQL reads them from, in the session's time zone (UTC: the
 * pools of {@link Databases} set it on every connection).
 *
 * <p>Not {@code setTimestamp}: Connector/J takes MariaDB for server 5.5 (the {@code 5.5.5-} prefix of
 * its handshake) and drops the fractional seconds of a {@code java.sql.Timestamp}, so every
 * {@code TIMESTAMP(3)} column held whole seconds there; and it builds a {@code SimpleDateFormat} for
 * every date or timestamp it sends, which was a tenth of the head office's CPU in a catch-up.
 */
public final class SqlValues {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private SqlValues() {}

    /** Binds an instant, to the millisecond (the schema's precision); null binds SQL NULL. */
    public static void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
        if (at == null) {
            statement.setNull(index, Types.TIMESTAMP);
        } else {
            statement.setString(index, TIMESTAMP.format(at));
        }
    }

    /** Binds a date (ISO {@code yyyy-MM-dd}); null binds SQL NULL. */
    public static void setDate(PreparedStatement statement, int index, LocalDate date) throws SQLException {
        if (date == null) {
            statement.setNull(index, Types.DATE);
        } else {
            statement.setString(index, date.toString());
        }
    }

    /** The text {@link #setInstant} sends for {@code at}. */
    static String timestampText(Instant at) {
        return TIMESTAMP.format(at);
    }
}
