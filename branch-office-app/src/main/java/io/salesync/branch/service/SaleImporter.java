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
 * Loads sales from CSV with the lab's columns (Date, Region, Product, Qty, Cost and optionally Amt,
 * Tax, Total) through the normal save path, so every imported sale has its outbox row and reaches
 * the head office. Good rows go in; each bad row is reported with its line number and reason.
 *
 * <p>Amt, Tax and Total are optional; when given they must equal what the branch computes at its
 * tax rate, so that a file made for another rate is noticed rather than silently repriced. Rows
 * whose every cell is blank (a spreadsheet's empty rows, ",,,,") are skipped like blank lines.
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
     */
    public record Result(long imported, List<Rejection> rejections, long rejected, BitSet rejectedLines, boolean cancelled) {

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
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)), 64 * 1024);
    }

    /**
     * Imports everything readable from {@code csv}.
     *
     * @param cancelled polled every 500 rows, saved or rejected; the rows read before
     *                  cancelling are saved (or rejected) and stay so
     */
    public Result importCsv(Reader csv, ProgressListener progress, BooleanSupplier cancelled) throws IOException {
        Rejections rejections = new Rejections();
        long imported = 0;
        try (CsvRecordReader reader = new CsvRecordReader(csv, ',')) {
            CsvRecord header = reader.next();
            if (header == null) {
                rejections.add(1, "the file is empty");
                return rejections.result(0, false);
            }
            Map<SaleField, Integer> columns;
            try {
                columns = columns(header);
            } catch (IllegalArgumentException e) {
                rejections.add(header.line(), e.getMessage());
                return rejections.result(0, false);
            }
            List<SaleInput> batch = new ArrayList<>(BATCH_SIZE);
            int sinceReport = 0;
            for (CsvRecord record = reader.next(); record != null; record = reader.next()) {
                Object row = record.ok() ? parse(record.fields(), columns, header.fields().size()) : record.error();
                if (row instanceof SaleInput input) {
                    batch.add(input);
                } else if (row != null) {
                    rejections.add(record.line(), (String) row);
                }
                if (batch.size() == BATCH_SIZE) {
                    imported += save(batch);
                }
                if (++sinceReport == BATCH_SIZE) {
                    sinceReport = 0;
                    progress.progress(reader.charsRead(), imported, rejections.count);
                    if (cancelled.getAsBoolean()) {
                        imported += save(batch);
                        return rejections.result(imported, true);
                    }
                }
            }
            imported += save(batch);
            progress.progress(reader.charsRead(), imported, rejections.count);
        }
        return rejections.result(imported, false);
    }

    /** The rejected rows so far: the first ones with their reason, all of them by line number. */
    private static final class Rejections {

        private final List<Rejection> listed = new ArrayList<>();
        private final BitSet lines = new BitSet();
        private long count;

        void add(long line, String reason) {
            count++;
            if (listed.size() < MAX_LISTED_REJECTIONS) {
                listed.add(new Rejection(line, reason));
            }
            if (line <= Integer.MAX_VALUE) {
                lines.set((int) line);
            }
        }

        Result result(long imported, boolean cancelled) {
            return new Result(imported, listed, count, lines, cancelled);
        }
    }

    private int save(List<SaleInput> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            int saved = saleService.createAll(batch).size();
            batch.clear();
            return saved;
        } catch (ValidationException e) {
            throw new IllegalStateException("a validated row failed validation: " + e.getMessage(), e);
        }
    }

    /** A SaleInput, the reason the row is rejected, or null for a row whose every cell is blank. */
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
        SaleTextParser.Result result = SaleTextParser.parse(cell(fields, columns, SaleField.DATE),
                cell(fields, columns, SaleField.REGION), cell(fields, columns, SaleField.PRODUCT),
                cell(fields, columns, SaleField.QTY), cell(fields, columns, SaleField.COST));
        if (!result.ok()) {
            return join(result.errors());
        }
        SaleInput input = result.input();
        BigDecimal amt = Money.amount(input.qty(), input.cost());
        TaxRate rate = saleService.taxRate();
        BigDecimal tax = Money.tax(amt, rate);
        List<FieldError> errors = new ArrayList<>();
        checkGiven(fields, columns, SaleField.AMT, amt, "Qty x Cost", errors);
        checkGiven(fields, columns, SaleField.TAX, tax, rate + " of Amt", errors);
        checkGiven(fields, columns, SaleField.TOTAL, amt.add(tax), "Amt + Tax", errors);
        return errors.isEmpty() ? input : join(errors);
    }

    private static void checkGiven(List<String> fields, Map<SaleField, Integer> columns, SaleField field,
                                   BigDecimal expected, String rule, List<FieldError> errors) {
        String text = cell(fields, columns, field);
        if (text == null || text.isBlank()) {
            return;
        }
        BigDecimal given = SaleTextParser.parseMoney(field, text, errors);
        if (given != null && given.compareTo(expected) != 0) {
            errors.add(new FieldError(field, given.toPlainString() + " does not match " + rule + " = " + expected.toPlainString()));
        }
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
        for (SaleField required : List.of(SaleField.DATE, SaleField.REGION, SaleField.PRODUCT, SaleField.QTY, SaleField.COST)) {
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
