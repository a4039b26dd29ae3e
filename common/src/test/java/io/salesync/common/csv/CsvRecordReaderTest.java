package io.salesync.common.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.common.csv.CsvRecordReader.CsvRecord;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {

    private static List<CsvRecord> readAll(String csv) throws IOException {
        return readAll(csv, ',');
    }

    private static List<CsvRecord> readAll(String csv, char delimiter) throws IOException {
        List<CsvRecord> records = new ArrayList<>();
        try (CsvRecordReader reader = new CsvRecordReader(new StringReader(csv), delimiter)) {
            for (CsvRecord record = reader.next(); record != null; record = reader.next()) {
                records.add(record);
            }
        }
        return records;
    }

    private static CsvRecord ok(long line, String... fields) {
        return new CsvRecord(line, List.of(fields), null);
    }

    private static CsvRecord broken(long line, String error) {
        return new CsvRecord(line, List.of(), error);
    }

    @Test
    void plainRecordsAreSplitAtCommas() throws IOException {
        assertThat(readAll("Date,Region\n2026-11-26,North\n"))
                .containsExactly(ok(1, "Date", "Region"), ok(2, "2026-11-26", "North"));
    }

    @Test
    void lastRecordNeedsNoLineBreak() throws IOException {
        assertThat(readAll("a,b")).containsExactly(ok(1, "a", "b"));
    }

    @Test
    void emptyFieldsAreKept() throws IOException {
        assertThat(readAll("a,,c\nd,\n")).containsExactly(ok(1, "a", "", "c"), ok(2, "d", ""));
    }

    @Test
    void emptyInputHasNoRecords() throws IOException {
        assertThat(readAll("")).isEmpty();
    }

    @Test
    void quotedFieldMayHoldCommas() throws IOException {
        assertThat(readAll("\"North, East\",Widget\n")).containsExactly(ok(1, "North, East", "Widget"));
    }

    @Test
    void doubledQuoteInsideAQuotedFieldIsOneQuote() throws IOException {
        assertThat(readAll("\"He said \"\"hi\"\"\",x\n")).containsExactly(ok(1, "He said \"hi\"", "x"));
    }

    @Test
    void emptyQuotedFieldIsEmpty() throws IOException {
        assertThat(readAll("\"\",x\n")).containsExactly(ok(1, "", "x"));
    }

    @Test
    void lineBreakInsideQuotesIsReportedAndLaterLinesKeepTheirNumbers() throws IOException {
        String csv = "h1,h2\n\"first\nsecond\",x\nnext,y\n";

        assertThat(readAll(csv))
                .containsExactly(
                        ok(1, "h1", "h2"),
                        broken(2, "a quoted field is not closed on its line (field 1)"),
                        broken(3, "a quote inside an unquoted field 1 (quote the whole field and double the quote)"),
                        ok(4, "next", "y"));
    }

    @Test
    void crlfLineEndsAreNotPartOfTheFields() throws IOException {
        assertThat(readAll("a,b\r\nc,d\r\n")).containsExactly(ok(1, "a", "b"), ok(2, "c", "d"));
    }

    @Test
    void quotedFieldBeforeCrlfIsClosedCleanly() throws IOException {
        assertThat(readAll("\"a\",\"b\"\r\nc,d\r\n")).containsExactly(ok(1, "a", "b"), ok(2, "c", "d"));
    }

    @Test
    void blankLinesAreSkippedButCounted() throws IOException {
        assertThat(readAll("a\n\n\r\n\nb\n")).containsExactly(ok(1, "a"), ok(5, "b"));
    }

    @Test
    void otherDelimiterIsHonoured() throws IOException {
        assertThat(readAll("a;b,c\n", ';')).containsExactly(ok(1, "a", "b,c"));
    }

    @Test
    void quoteInsideAnUnquotedFieldIsReportedAndTheNextLineStillRead() throws IOException {
        assertThat(readAll("ok,1\nWid\"get,2\nnext,3\n"))
                .containsExactly(
                        ok(1, "ok", "1"),
                        broken(2, "a quote inside an unquoted field 1 (quote the whole field and double the quote)"),
                        ok(3, "next", "3"));
    }

    @Test
    void textAfterAClosingQuoteIsReportedWithItsField() throws IOException {
        assertThat(readAll("a,\"Wid\"get,2\nnext,3\n"))
                .containsExactly(
                        broken(1, "unexpected character 'g' after a closing quote in field 2"), ok(2, "next", "3"));
    }

    @Test
    void quoteLeftOpenAtTheEndOfTheFileIsReportedAtTheLineItStarted() throws IOException {
        assertThat(readAll("a,b\nc,\"open"))
                .containsExactly(ok(1, "a", "b"), broken(2, "a quoted field is not closed before the end of the file"));
    }

    @Test
    void overLongRecordIsReportedAndTheNextLineStillRead() throws IOException {
        String longLine = "x".repeat(CsvRecordReader.MAX_RECORD_CHARS + 10);

        assertThat(readAll("a\n" + longLine + "\nnext\n"))
                .containsExactly(ok(1, "a"), broken(2, "record longer than 65536 characters"), ok(3, "next"));
    }

    @Test
    void overLongQuotedRecordSuggestsAnUnclosedQuote() throws IOException {
        String longQuoted = "\"" + "x".repeat(CsvRecordReader.MAX_RECORD_CHARS + 10);

        assertThat(readAll(longQuoted + "\nnext\n"))
                .containsExactly(
                        broken(1, "record longer than 65536 characters (a quote is probably not closed)"),
                        ok(2, "next"));
    }

    @Test
    void recordAtTheLimitIsRead() throws IOException {
        String atLimit = "x".repeat(CsvRecordReader.MAX_RECORD_CHARS - 1);

        assertThat(readAll(atLimit + "\nnext\n")).containsExactly(ok(1, atLimit), ok(2, "next"));
    }

    @Test
    void charactersReadAreCountedForProgress() throws IOException {
        try (CsvRecordReader reader = new CsvRecordReader(new StringReader("ab,c\nd\n"), ',')) {
            reader.next();
            assertThat(reader.charsRead()).isEqualTo(5);
            reader.next();
            assertThat(reader.next()).isNull();
            assertThat(reader.charsRead()).isEqualTo(7);
        }
    }

    @Test
    void quoteLeftOpenMidFileSkipsOnlyItsOwnLine() throws IOException {
        String csv = "Date,Region\n2026-11-26,\"North\n2026-11-27,South\n2026-11-28,East\n";

        assertThat(readAll(csv))
                .containsExactly(
                        ok(1, "Date", "Region"),
                        broken(2, "a quoted field is not closed on its line (field 2)"),
                        ok(3, "2026-11-27", "South"),
                        ok(4, "2026-11-28", "East"));
    }

    @Test
    void byteOrderMarkAtTheStartIsNotPartOfTheFirstField() throws IOException {
        assertThat(readAll("\uFEFFDate,Region\n2026-11-26,North\n"))
                .containsExactly(ok(1, "Date", "Region"), ok(2, "2026-11-26", "North"));
    }

    @Test
    void byteOrderMarkBeforeAQuotedHeaderLeavesTheQuotesIntact() throws IOException {
        assertThat(readAll("\uFEFF\"Date\",\"Region\"\r\n\"2026-11-26\",\"North\"\r\n"))
                .containsExactly(ok(1, "Date", "Region"), ok(2, "2026-11-26", "North"));
    }

    @Test
    void byteOrderMarkAloneIsAnEmptyInput() throws IOException {
        assertThat(readAll("\uFEFF")).isEmpty();
    }

    @Test
    void byteOrderMarkLaterInTheFileIsOrdinaryText() throws IOException {
        assertThat(readAll("a\n\uFEFFb\n")).containsExactly(ok(1, "a"), ok(2, "\uFEFFb"));
    }

    @Test
    void loneCarriageReturnsEndLinesAndBlankOnesAreCounted() throws IOException {
        assertThat(readAll("a,b\r\rc,d\r\r\re,f\r")).containsExactly(ok(1, "a", "b"), ok(3, "c", "d"), ok(6, "e", "f"));
    }

    @Test
    void brokenRecordInACarriageReturnFileSkipsOnlyItsOwnLine() throws IOException {
        assertThat(readAll("h1,h2\r\"open,x\rWid\"get,y\ra,\"b\"c\rnext,z\r"))
                .containsExactly(
                        ok(1, "h1", "h2"),
                        broken(2, "a quoted field is not closed on its line (field 1)"),
                        broken(3, "a quote inside an unquoted field 1 (quote the whole field and double the quote)"),
                        broken(4, "unexpected character 'c' after a closing quote in field 2"),
                        ok(5, "next", "z"));
    }

    @Test
    void mixedLineEndsAreEachOneLine() throws IOException {
        assertThat(readAll("a\nb\r\nc\rd")).containsExactly(ok(1, "a"), ok(2, "b"), ok(3, "c"), ok(4, "d"));
    }

    @Test
    void overLongRecordInACarriageReturnFileSkipsOnlyItsOwnLine() throws IOException {
        String longLine = "x".repeat(CsvRecordReader.MAX_RECORD_CHARS + 10);

        assertThat(readAll("a\r" + longLine + "\rnext\r"))
                .containsExactly(ok(1, "a"), broken(2, "record longer than 65536 characters"), ok(3, "next"));
    }
}
