package io.salesync.common.sale;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the text a clerk types or a CSV cell holds into a {@link SaleInput}, reporting each field
 * that cannot be read. Dates are ISO ({@code 2026-11-26}) or US style ({@code 11/26/2026}).
 */
public final class SaleTextParser {

    private static final Pattern MONEY = Pattern.compile("[+-]?\\d+(\\.\\d+)?");
    private static final DateTimeFormatter US_DATE =
            DateTimeFormatter.ofPattern("M/d/uuuu").withResolverStyle(ResolverStyle.STRICT);

    private SaleTextParser() {}

    /** The parsed input, or the reasons it could not be read. */
    public record Result(SaleInput input, List<FieldError> errors) {

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** Parses the five clerk fields, then applies {@link SaleValidator#validate(SaleInput)}. */
    public static Result parse(String date, String region, String product, String qty, String cost) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate parsedDate = parseDate(date, errors);
        Integer parsedQty = parseQty(qty, errors);
        BigDecimal parsedCost = parseMoney(SaleField.COST, cost, errors);
        SaleInput input = new SaleInput(parsedDate, nullIfEmpty(region), nullIfEmpty(product), parsedQty, parsedCost);
        for (FieldError error : SaleValidator.validate(input)) {
            boolean alreadyReported = errors.stream().anyMatch(e -> e.field() == error.field());
            if (!alreadyReported) {
                errors.add(error);
            }
        }
        errors.sort((a, b) -> a.field().compareTo(b.field()));
        return new Result(input, List.copyOf(errors));
    }

    /** Parses an ISO or US-style date; null and a field error when it is not a date. */
    public static LocalDate parseDate(String text, List<FieldError> errors) {
        String value = text == null ? "" : text.strip();
        if (value.isEmpty()) {
            return null;
        }
        try {
            return value.contains("/") ? LocalDate.parse(value, US_DATE) : LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(SaleField.DATE, "'" + value + "' is not a date: use 2026-11-26 or 11/26/2026"));
            return null;
        }
    }

    /** Parses a money amount with at most two decimals; null and a field error when it cannot. */
    public static BigDecimal parseMoney(SaleField field, String text, List<FieldError> errors) {
        String value = text == null ? "" : text.strip();
        if (value.isEmpty()) {
            return null;
        }
        if (!MONEY.matcher(value).matches()) {
            errors.add(new FieldError(field, "'" + value + "' is not a number: write it like 12.50"));
            return null;
        }
        try {
            BigDecimal amount = new BigDecimal(value);
            if (!Money.hasCentPrecision(amount)) {
                errors.add(new FieldError(field, "must have at most two decimal places"));
                return null;
            }
            return amount;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "'" + value + "' is not a number: write it like 12.50"));
            return null;
        }
    }

    private static Integer parseQty(String text, List<FieldError> errors) {
        String value = text == null ? "" : text.strip();
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            errors.add(new FieldError(SaleField.QTY, "must be a whole number above 0, not '" + value + "'"));
            return null;
        }
    }

    /** Surrounding spaces are dropped, as a clerk would expect; an empty field is missing. */
    private static String nullIfEmpty(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
