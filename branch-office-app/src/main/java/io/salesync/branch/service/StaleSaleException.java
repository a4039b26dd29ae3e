package io.salesync.branch.service;

import java.util.UUID;

/** The sale was changed by someone else since it was read; the change was not saved. */
public class StaleSaleException extends Exception {

    private static final long serialVersionUID = 1L;

    public StaleSaleException(UUID id, long expected, long actual) {
        super("Sale " + id + " was changed since it was opened (version " + expected + ", now " + actual
                + "). Reload it and try again.");
    }
}
