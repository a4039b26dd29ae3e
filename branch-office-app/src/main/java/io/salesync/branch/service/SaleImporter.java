package io.salesync.branch.service;

import io.salesync.common.csv.CsvRecordReader;
import io.salesync.common.csv.CsvRecordReader.CsvRecord;
import io.salesync.common.sale.FieldError;
import io.salesync.common.sale.Money;
import io.salesync.common.sale.SaleField;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.SaleTextParser;
import io.salesync.common.sale.TaxRate;
import io.salesync.common.sale.ValidationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Loads sales from CSV with the columns of a sale (Date, Region, Product, Qty, Cost and optionally
 * Amt, Tax, Total) through the normal save path, so every imported sale has its outbox row and
 * reaches the head office. Good rows go in; each bad row is reported with its line number and
 * reason.
 *
 * <p>Amt, Tax and Total are optional. Amt, when given, must be Qty x Cost. A sale's tax is a fact of
 * that sale: a row that gives its Tax (or its Total) is stored with that tax even when it was
 * charged at another rate than the branch's (last year's, another country's), and the result counts
 * such rows; but its figures must add up (Total = Amt + Tax, Tax from 0 to Amt), or the row is
 * rejected. A row without Tax and Total is priced at the branch's rate. Rows whose every cell is
 * blank (a spreadsheet's empty rows, ",,,,") are skipped like blank lines.
 *
 * <p>A file whose header cannot be used is not imported at all: that is the file's problem, not a
 * rejected row, and the result says so and how many data rows it holds.
 *
 * <p>Memory stays constant whatever the size of the file: rows are read and saved in batches, and of
 * the rejected rows only the first {@value #MAX_LISTED_REJECTIONS} keep their reason; the others are
 * counted and their line numbers kept in a bit set, so that all of them can be saved for correction.
 */
public final class SaleImporter {

    /** One rejected row. */
    public record Rejection(long line, String reason) {
        @Override
        public String toString() {
            return "line " + line + ": " + reason;
        }
    }

    /**
     * The outcome of an import.
     *
     * @param imported      sales saved
     * @param rejections    the first {@value #MAX_LISTED_REJECTIONS} rejected rows with their reasons, in file order
     * @param rejected      rejected rows in all
     * @param rejectedLines the line numbers of all rejected rows (a line beyond {@link Integer#MAX_VALUE} is not kept)
     * @param cancelled     true when the import was cancelled before the end of the file
     * @param dataRows      rows read below the header, blank ones not counted
     * @param otherRate     sales imported with their own tax at another rate than the branch's
     * @param fileProblem   why the file as a whole could not be imported (its header), or null
     */
    public record Result(
            long imported,
            List<Rejection> rejections,
            long rejected,
            BitSet rejectedLines,
            boolean cancelled,
            long dataRows,
            long otherRate,
            String fileProblem) {

        public Result {
            rejections = List.copyOf(rejections);
            rejectedLines = (BitSet) rejectedLines.clone();
        }

        @Override
        public BitSet rejectedLines() {
            return (BitSet) rejectedLines.clone();
        }

        /** True when the row starting at {@code line} was rejected. */
        public boolean wasRejected(long line) {
            return line <= Integer.MAX_VALUE && rejectedLines.get((int) line);
        }

        /** True when every rejected row is in {@link #rejections()} with its reason. */
        public boolean allListed() {
            return rejections.size() == rejected;
        }
    }

    /** Told about progress every 500 rows and at the end. */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(long charsRead, long imported, long rejected);
    }

    /** Rejected rows whose reason is kept and shown; the rest are only counted. */
    public static final int MAX_LISTED_REJECTIONS = 1_000;

    /** What a decoder puts where the bytes were not UTF-8. */
    private static final char REPLACEMENT = '\uFFFD';

    private static final int BATCH_SIZE = 500;

    private final SaleService saleService;

    public SaleImporter(SaleService saleService) {
        this.saleService = saleService;
    }

    /**
     * Opens a file for {@link #importCsv}: UTF-8, with bytes that are not UTF-8 (a file saved as
     * Windows-1252, say) replaced, so that the rows holding them are rejected at their line instead
     * of the whole import stopping there.
     */
    public static Reader open(Path file) throws IOException {
        return new BufferedReader(
                new InputStreamReader(
                        Files.newInputStream(file),
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPLACE)
                                .onUnmappableCharacter(CodingErrorAction.REPLACE)),
                64 * 1024);
    }

    /**
     * Imports everything readable from {@code csv}.
     *
     * @param cancelled polled every 500 rows, saved or rejected; the rows read before
     *                  cancelling are saved (or rejected) and stay so
     */
    public Result importCsv(Reader csv, ProgressListener progress, BooleanSupplier cancelled) throws IOException {
        Rejections rejections = new Rejections();
        Batch batch = new Batch();
        try (CsvRecordReader reader = new CsvRecordReader(csv, ',')) {
            CsvRecord header = reader.next();
            if (header == null) {
                return rejections.result(batch, false, "the file is empty");
            }
            Map<SaleField, Integer> columns;
            try {
                columns = columns(header);
            } catch (IllegalArgumentException e) {
                for (CsvRecord record = reader.next(); record != null; record = reader.next()) {
                    if (!record.ok() || !record.fields().stream().allMatch(String::isBlank)) {
                        rejections.dataRows++;
                    }
                }
                return rejections.result(batch, false, "line " + header.line() + ": " + e.getMessage());
            }
            int sinceReport = 0;
            for (CsvRecord record = reader.next(); record != null; record = reader.next()) {
                Object row = record.ok()
                        ? parse(record.fields(), columns, header.fields().size())
                        : record.error();
                if (row != null) {
                    rejections.dataRows++;
                }
                if (row instanceof Row sale) {
                    batch.add(sale);
                } else if (row != null) {
                    rejections.add(record.line(), (String) row);
                }
                if (batch.size() == BATCH_SIZE) {
                    batch.save();
                }
                if (++sinceReport == BATCH_SIZE) {
                    sinceReport = 0;
                    progress.progress(reader.charsRead(), batch.imported, rejections.count);
                    if (cancelled.getAsBoolean()) {
                        batch.save();
                        return rejections.result(batch, true, null);
                    }
                }
            }
            batch.save();
            progress.progress(reader.charsRead(), batch.imported, rejections.count);
        }
        return rejections.result(batch, false, null);
    }

    /** A valid row: the sale and, when the row gave it, its own tax (else null: the branch's rate). */
    private record Row(SaleInput input, BigDecimal tax, boolean otherRate) {}

    /** Rows waiting to be saved together, and what was saved so far. */
    private final class Batch {

        private final List<SaleInput> inputs = new ArrayList<>(BATCH_SIZE);
        private final List<BigDecimal> taxes = new ArrayList<>(BATCH_SIZE);
        private long imported;
        private long otherRate;
        private long pendingOtherRate;

        void add(Row row) {
            inputs.add(row.input());
            taxes.add(row.tax());
            if (row.otherRate()) {
                pendingOtherRate++;
            }
        }

        int size() {
            return inputs.size();
        }

        void save() {
            if (inputs.isEmpty()) {
                return;
            }
            try {
                imported += saleService.createAll(inputs, taxes).size();
                otherRate += pendingOtherRate;
                pendingOtherRate = 0;
                inputs.clear();
                taxes.clear();
            } catch (ValidationException e) {
                throw new IllegalStateException("a validated row failed validation: " + e.getMessage(), e);
            }
        }
    }

    /** The rejected rows so far: the first ones with their reason, all of them by line number. */
    private static final class Rejections {

        private final List<Rejection> listed = new ArrayList<>();
        private final BitSet lines = new BitSet();
        private long count;
        private long dataRows;

        void add(long line, String reason) {
            count++;
            if (listed.size() < MAX_LISTED_REJECTIONS) {
                listed.add(new Rejection(line, reason));
            }
            if (line <= Integer.MAX_VALUE) {
                lines.set((int) line);
            }
        }

        Result result(Batch batch, boolean cancelled, String fileProblem) {
            return new Result(batch.imported, listed, count, lines, cancelled, dataRows, batch.otherRate, fileProblem);
        }
    }

    /** A {@link Row}, the reason the row is rejected, or null for a row whose every cell is blank. */
    private Object parse(List<String> fields, Map<SaleField, Integer> columns, int expectedColumns) {
        if (fields.stream().allMatch(String::isBlank)) {
            return null;
        }
        if (fields.size() != expectedColumns) {
            return "expected " + expectedColumns + " columns as in the header, found " + fields.size();
        }
        if (fields.stream().anyMatch(field -> field.indexOf(REPLACEMENT) >= 0)) {
            return "the row holds bytes that are not UTF-8 text: save the file as CSV UTF-8 and import these rows again";
        }
        SaleTextParser.Result result = SaleTextParser.parse(
                cell(fields, columns, SaleField.DATE),
                cell(fields, columns, SaleField.REGION),
                cell(fields, columns, SaleField.PRODUCT),
                cell(fields, columns, SaleField.QTY),
                cell(fields, columns, SaleField.COST));
        if (!result.ok()) {
            return join(result.errors());
        }
        SaleInput input = result.input();
        BigDecimal amt = Money.amount(input.qty(), input.cost());
        TaxRate rate = saleService.taxRate();
        List<FieldError> errors = new ArrayList<>();
        BigDecimal givenAmt = given(fields, columns, SaleField.AMT, errors);
        BigDecimal givenTax = given(fields, columns, SaleField.TAX, errors);
        BigDecimal givenTotal = given(fields, columns, SaleField.TOTAL, errors);
        if (!errors.isEmpty()) {
            return join(errors);
        }
        if (givenAmt != null && givenAmt.compareTo(amt) != 0) {
            return join(List.of(new FieldError(
                    SaleField.AMT, givenAmt.toPlainString() + " does not match Qty x Cost = " + amt.toPlainString())));
        }
        if (givenTax == null && givenTotal == null) {
            return new Row(input, null, false);
        }
        BigDecimal tax = givenTax != null ? givenTax : givenTotal.subtract(amt);
        if (givenTax != null && givenTotal != null && givenTotal.compareTo(amt.add(givenTax)) != 0) {
            return join(List.of(new FieldError(
                    SaleField.TOTAL,
                    givenTotal.toPlainString() + " does not match Amt + Tax = "
                            + amt.add(givenTax).toPlainString())));
        }
        if (tax.signum() < 0 || tax.compareTo(amt) > 0) {
            SaleField field = givenTax != null ? SaleField.TAX : SaleField.TOTAL;
            return join(List.of(new FieldError(
                    field,
                    (givenTax != null ? givenTax : givenTotal).toPlainString() + " gives a tax of "
                            + tax.toPlainString() + ", which is not between 0 and Amt = " + amt.toPlainString())));
        }
        boolean otherRate = tax.compareTo(Money.tax(amt, rate)) != 0;
        return new Row(input, otherRate ? tax : null, otherRate);
    }

    /** The amount a row gives in a column, or null when the column is absent or the cell blank. */
    private static BigDecimal given(
            List<String> fields, Map<SaleField, Integer> columns, SaleField field, List<FieldError> errors) {
        String text = cell(fields, columns, field);
        if (text == null || text.isBlank()) {
            return null;
        }
        return SaleTextParser.parseMoney(field, text, errors);
    }

    private static String cell(List<String> fields, Map<SaleField, Integer> columns, SaleField field) {
        Integer index = columns.get(field);
        return index == null ? null : fields.get(index);
    }

    private static String join(List<FieldError> errors) {
        return String.join("; ", errors.stream().map(FieldError::toString).toList());
    }

    private static Map<SaleField, Integer> columns(CsvRecord header) {
        if (!header.ok()) {
            throw new IllegalArgumentException("the header cannot be read: " + header.error());
        }
        Map<SaleField, Integer> columns = new EnumMap<>(SaleField.class);
        List<String> names = header.fields();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip().replace("\uFEFF", "").toLowerCase(Locale.ROOT);
            for (SaleField field : SaleField.values()) {
                if (field.label().toLowerCase(Locale.ROOT).equals(name)) {
                    if (columns.put(field, i) != null) {
                        throw new IllegalArgumentException("column " + field.label() + " appears twice in the header");
                    }
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (SaleField required :
                List.of(SaleField.DATE, SaleField.REGION, SaleField.PRODUCT, SaleField.QTY, SaleField.COST)) {
            if (!columns.containsKey(required)) {
                missing.add(required.label());
            }
        }
        if (!missing.isEmpty()) {
            boolean semicolons = names.size() == 1 && names.get(0).indexOf(';') >= 0;
            throw new IllegalArgumentException("the header lacks column(s) " + String.join(", ", missing)
                    + "; expected Date,Region,Product,Qty,Cost[,Amt,Tax,Total]"
                    + (semicolons ? " separated by commas (this file seems to use semicolons)" : ""));
        }
        return columns;
    }
}
