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
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.util.ArrayList;
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
 * tax rate, so that a file made for another rate is noticed rather than silently repriced.
 */
public final class SaleImporter {

    /** One rejected row. */
    public record Rejection(long line, String reason) {
        @Override
        public String toString() {
            return "line " + line + ": " + reason;
        }
    }

    /** The outcome of an import. */
    public record Result(long imported, List<Rejection> rejections, boolean cancelled) {
    }

    /** Told about progress after every saved batch. */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(long charsRead, long imported, long rejected);
    }

    private static final int BATCH_SIZE = 500;

    private final SaleService saleService;

    public SaleImporter(SaleService saleService) {
        this.saleService = saleService;
    }

    /**
     * Imports everything readable from {@code csv}.
     *
     * @param cancelled polled between batches; rows saved before cancelling stay saved
     */
    public Result importCsv(Reader csv, ProgressListener progress, BooleanSupplier cancelled) throws IOException {
        List<Rejection> rejections = new ArrayList<>();
        long imported = 0;
        try (CsvRecordReader reader = new CsvRecordReader(csv, ',')) {
            CsvRecord header = reader.next();
            if (header == null) {
                return new Result(0, List.of(new Rejection(1, "the file is empty")), false);
            }
            Map<SaleField, Integer> columns;
            try {
                columns = columns(header);
            } catch (IllegalArgumentException e) {
                return new Result(0, List.of(new Rejection(header.line(), e.getMessage())), false);
            }
            List<SaleInput> batch = new ArrayList<>(BATCH_SIZE);
            for (CsvRecord record = reader.next(); record != null; record = reader.next()) {
                String problem = record.ok() ? null : record.error();
                SaleInput input = null;
                if (problem == null) {
                    Object parsed = parse(record.fields(), columns, header.fields().size());
                    if (parsed instanceof SaleInput ok) {
                        input = ok;
                    } else {
                        problem = (String) parsed;
                    }
                }
                if (problem != null) {
                    rejections.add(new Rejection(record.line(), problem));
                    continue;
                }
                batch.add(input);
                if (batch.size() == BATCH_SIZE) {
                    imported += save(batch);
                    progress.progress(reader.charsRead(), imported, rejections.size());
                    if (cancelled.getAsBoolean()) {
                        return new Result(imported, rejections, true);
                    }
                }
            }
            imported += save(batch);
            progress.progress(reader.charsRead(), imported, rejections.size());
        }
        return new Result(imported, rejections, false);
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

    /** A SaleInput, or the reason the row is rejected. */
    private Object parse(List<String> fields, Map<SaleField, Integer> columns, int expectedColumns) {
        if (fields.size() != expectedColumns) {
            return "expected " + expectedColumns + " columns as in the header, found " + fields.size();
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
            throw new IllegalArgumentException("the header lacks column(s) " + String.join(", ", missing)
                    + "; expected Date,Region,Product,Qty,Cost[,Amt,Tax,Total]");
        }
        return columns;
    }
}
