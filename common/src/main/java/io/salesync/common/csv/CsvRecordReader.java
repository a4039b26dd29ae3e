package io.salesync.common.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV one record at a time and, unlike a strict parser, survives a broken record:
 * the record is returned with its error and reading goes on at the next line.
 *
 * <p>Quoted fields may hold commas and doubled quotes but not line breaks (no sale field may hold
 * one), so a quote left open is reported at its line and only that line is skipped: one broken row
 * never swallows the rows after it. Lines end with LF, CRLF or a lone CR (spreadsheets on macOS
 * still write those). A byte order mark at the start of the input is not part of the first field.
 * Not thread-safe.
 */
public final class CsvRecordReader implements AutoCloseable {

    /** Fields are limited so that one broken quote cannot swallow a 100 MB file. */
    public static final int MAX_RECORD_CHARS = 64 * 1024;

    private static final int BYTE_ORDER_MARK = '\uFEFF';

    /**
     * One record.
     *
     * @param line   the 1-based line where it starts
     * @param fields its fields, empty when {@code error} is set
     * @param error  why it could not be read, or null
     */
    public record CsvRecord(long line, List<String> fields, String error) {

        public boolean ok() {
            return error == null;
        }
    }

    private final Reader reader;
    private final char delimiter;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private long line = 1;
    private long charsRead;
    private int pushback = -2;
    private boolean started;

    public CsvRecordReader(Reader reader, char delimiter) {
        this.reader = reader;
        this.delimiter = delimiter;
    }

    /** Characters consumed so far, for progress reports. */
    public long charsRead() {
        return charsRead;
    }

    /** The next record, or null at the end of input. Blank lines are skipped. */
    public CsvRecord next() throws IOException {
        if (!started) {
            started = true;
            int first = read();
            if (first != BYTE_ORDER_MARK) {
                unread(first);
            }
        }
        while (true) {
            int first = read();
            if (first == -1) {
                return null;
            }
            if (first == '\n' || first == '\r') {
                endLine(first);
                continue;
            }
            unread(first);
            return record();
        }
    }

    private CsvRecord record() throws IOException {
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int recordChars = 0;
        boolean quoted = false;
        boolean afterQuote = false;
        while (true) {
            int c = read();
            if (++recordChars > MAX_RECORD_CHARS) {
                skipLine(c);
                return new CsvRecord(
                        start,
                        List.of(),
                        "record longer than " + MAX_RECORD_CHARS + " characters"
                                + (quoted ? " (a quote is probably not closed)" : ""));
            }
            if (quoted) {
                if (c == -1) {
                    return new CsvRecord(start, List.of(), "a quoted field is not closed before the end of the file");
                }
                if (c == '\n' || c == '\r') {
                    skipLine(c);
                    return new CsvRecord(
                            start,
                            List.of(),
                            "a quoted field is not closed on its line (field " + (fields.size() + 1) + ")");
                }
                if (c == '"') {
                    int next = read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        afterQuote = true;
                        unread(next);
                    }
                } else {
                    field.append((char) c);
                }
                continue;
            }
            if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                afterQuote = false;
            } else if (c == '\n' || c == '\r' || c == -1) {
                fields.add(field.toString());
                endLine(c);
                return new CsvRecord(start, fields, null);
            } else if (afterQuote) {
                skipLine(c);
                return new CsvRecord(
                        start,
                        List.of(),
                        "unexpected character '" + (char) c + "' after a closing quote in field "
                                + (fields.size() + 1));
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == '"') {
                skipLine(c);
                return new CsvRecord(
                        start,
                        List.of(),
                        "a quote inside an unquoted field " + (fields.size() + 1)
                                + " (quote the whole field and double the quote)");
            } else {
                field.append((char) c);
            }
        }
    }

    /** Skips the rest of the line from {@code current} on, and its line end. */
    private void skipLine(int current) throws IOException {
        int c = current;
        while (c != '\n' && c != '\r' && c != -1) {
            c = read();
        }
        endLine(c);
    }

    /** Counts the line end just read ({@code -1}: none); a CR followed by LF is one line end. */
    private void endLine(int c) throws IOException {
        if (c == '\r') {
            int next = read();
            if (next != '\n') {
                unread(next);
            }
        }
        if (c != -1) {
            line++;
        }
    }

    private int read() throws IOException {
        if (pushback != -2) {
            int c = pushback;
            pushback = -2;
            return c;
        }
        if (position == limit) {
            int read = reader.read(buffer, 0, buffer.length);
            if (read <= 0) {
                return -1;
            }
            position = 0;
            limit = read;
        }
        charsRead++;
        return buffer[position++];
    }

    private void unread(int c) {
        pushback = c;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
