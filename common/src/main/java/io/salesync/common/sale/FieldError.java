package io.salesync.common.sale;

/**
 * One problem with one field of a sale, worded for the person who typed it.
 *
 * @param field   the field's name as in {@link SaleField}
 * @param message what is wrong and what is expected
 */
public record FieldError(SaleField field, String message) {

    @Override
    public String toString() {
        return field.label() + ": " + message;
    }
}
