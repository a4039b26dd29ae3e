package io.salesync.common.sale;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a sale cannot be accepted; carries every field error, not only the first. */
public class ValidationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
