package io.salesync.branch.service;

import java.util.UUID;

/** The sale to change does not exist at this branch, or was deleted. */
public class SaleNotFoundException extends Exception {

    private static final long serialVersionUID = 1L;

    public SaleNotFoundException(UUID id) {
        super("Sale " + id + " does not exist at this branch or has been deleted.");
    }
}
