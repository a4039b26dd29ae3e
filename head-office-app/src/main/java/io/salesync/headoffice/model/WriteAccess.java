package io.salesync.headoffice.model;

/**
 * What the window's database user may change, found at start by trying (a view-only window's user
 * usually may only read).
 *
 * @param deadLetters it may retry and discard refused messages ({@code dead_letter_log})
 * @param requests    it may record checkpoint and resync requests to branches ({@code branch_request})
 */
public record WriteAccess(boolean deadLetters, boolean requests) {

    /** The consuming head office's own user: it writes everything. */
    public static final WriteAccess FULL = new WriteAccess(true, true);

    /** A user that may only read. */
    public static final WriteAccess NONE = new WriteAccess(false, false);

    public boolean any() {
        return deadLetters || requests;
    }
}
