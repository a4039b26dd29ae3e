package io.salesync.common.sale;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules every sale obeys, at the branch before it is saved and at the head office before it is
 * applied. Messages are sentences for the person who typed the value.
 */
public final class SaleValidator {

    public static final int MAX_REGION_LENGTH = 64;
    public static final int MAX_PRODUCT_LENGTH = 128;
    public static final int MAX_QTY = 100_000;
    public static final BigDecimal MAX_COST = new BigDecimal("999999.99");
    public static final LocalDate EARLIEST_DATE = LocalDate.of(1970, 1, 1);
    public static final LocalDate LATEST_DATE = LocalDate.of(2099, 12, 31);

    private static final int MAX_SHOWN_AMOUNT_CHARS = 40;
    private static final Pattern BRANCH_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern CONTROL_CHARS = Pattern.compile("\\p{Cntrl}");

    private SaleValidator() {}

    /** True when {@code id} is a valid branch id: lower-case letters, digits, '-' or '_', at most 32. */
    public static boolean isValidBranchId(String id) {
        return id != null && BRANCH_ID.matcher(id).matches();
    }

    /** Checks what a clerk typed; an empty list means the sale can be saved. */
    public static List<FieldError> validate(SaleInput input) {
        List<FieldError> errors = new ArrayList<>();
        checkDate(input.date(), errors);
        checkText(SaleField.REGION, input.region(), MAX_REGION_LENGTH, errors);
        checkText(SaleField.PRODUCT, input.product(), MAX_PRODUCT_LENGTH, errors);
        checkQty(input.qty(), errors);
        checkCost(input.cost(), errors);
        return errors;
    }

    /** Throws with every field error when the input is not acceptable. */
    public static void require(SaleInput input) throws ValidationException {
        List<FieldError> errors = validate(input);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    /**
     * Checks a complete sale as it arrives from a branch: the clerk's rules plus the arithmetic
     * (Amt = Qty x Cost, Total = Amt + Tax, tax between 0 and Amt) and the identity fields.
     */
    public static List<String> problemsOf(Sale sale) {
        List<String> problems = new ArrayList<>();
        if (!isValidBranchId(sale.branchId())) {
            problems.add("branch id '" + sale.branchId() + "' is not a valid branch id");
        }
        if (sale.version() < 1) {
            problems.add("version must be 1 or more, was " + sale.version());
        }
        validate(sale.input()).forEach(error -> problems.add(error.toString()));
        for (BigDecimal money : List.of(sale.amt(), sale.tax(), sale.total())) {
            if (!Money.hasCentPrecision(money) || money.abs().compareTo(Money.MAX_AMOUNT) > 0) {
                problems.add("amount " + shown(money) + " is not a cent amount within range");
                return problems;
            }
        }
        if (problems.isEmpty()) {
            if (Money.amount(sale.qty(), sale.cost()).compareTo(sale.amt()) != 0) {
                problems.add("Amt " + sale.amt().toPlainString() + " is not Qty x Cost");
            }
            if (sale.tax().signum() < 0 || sale.tax().compareTo(sale.amt()) > 0) {
                problems.add("Tax " + sale.tax().toPlainString() + " is not between 0 and Amt");
            }
            if (sale.amt().add(sale.tax()).compareTo(sale.total()) != 0) {
                problems.add("Total " + sale.total().toPlainString() + " is not Amt + Tax");
            }
        }
        return problems;
    }

    /**
     * A refused amount as a problem may quote it: never expanded to plain digits (the plain form of
     * 1E+999999999, which a message can carry in 12 characters, is a billion characters long) and
     * cut after {@value #MAX_SHOWN_AMOUNT_CHARS} characters.
     */
    private static String shown(BigDecimal amount) {
        String text = amount.toString();
        return text.length() <= MAX_SHOWN_AMOUNT_CHARS ? text : text.substring(0, MAX_SHOWN_AMOUNT_CHARS - 3) + "...";
    }

    private static void checkDate(LocalDate date, List<FieldError> errors) {
        if (date == null) {
            errors.add(new FieldError(SaleField.DATE, "is required (for example 2026-11-26)"));
        } else if (date.isBefore(EARLIEST_DATE) || date.isAfter(LATEST_DATE)) {
            errors.add(new FieldError(SaleField.DATE, "must be between " + EARLIEST_DATE + " and " + LATEST_DATE));
        }
    }

    private static void checkText(SaleField field, String value, int maxLength, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        } else if (value.codePointCount(0, value.length()) > maxLength) {
            errors.add(new FieldError(field, "must be at most " + maxLength + " characters"));
        } else if (CONTROL_CHARS.matcher(value).find()) {
            errors.add(new FieldError(field, "must not contain control characters such as tabs or line breaks"));
        } else if (hasBrokenCharacter(value)) {
            errors.add(new FieldError(
                    field, "holds a broken character (half of a UTF-16 surrogate pair) that cannot be stored"));
        } else if (!value.equals(value.strip())) {
            errors.add(new FieldError(field, "must not start or end with spaces"));
        }
    }

    /**
     * True when the text holds a lone UTF-16 surrogate: it is no character at all, and the database
     * driver would silently store it as '?', so what is stored would differ from what was sent.
     */
    private static boolean hasBrokenCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static void checkQty(Integer qty, List<FieldError> errors) {
        if (qty == null) {
            errors.add(new FieldError(SaleField.QTY, "is required: a whole number above 0"));
        } else if (qty < 1 || qty > MAX_QTY) {
            errors.add(new FieldError(SaleField.QTY, "must be a whole number from 1 to " + MAX_QTY));
        }
    }

    private static void checkCost(BigDecimal cost, List<FieldError> errors) {
        if (cost == null) {
            errors.add(new FieldError(SaleField.COST, "is required: the unit cost, for example 12.50"));
        } else if (cost.signum() < 0) {
            errors.add(new FieldError(SaleField.COST, "cannot be negative"));
        } else if (cost.compareTo(MAX_COST) > 0) {
            errors.add(new FieldError(SaleField.COST, "must be at most " + MAX_COST.toPlainString()));
        } else if (!Money.hasCentPrecision(cost)) {
            errors.add(new FieldError(SaleField.COST, "must have at most two decimal places"));
        }
    }
}
