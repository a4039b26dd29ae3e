package io.salesync.headoffice.model;

import java.time.Instant;

/**
 * A branch in the head office's registry ({@code branch_registry}).
 *
 * @param displayName  the name given to {@code add-branch --name}, or null
 * @param closedAt     when {@code remove-branch} closed it, null while it is open
 * @param registeredBy {@link #BY_COMMAND} or {@link #BY_FIRST_CONTACT}
 */
public record RegisteredBranch(
        String branchId, String displayName, Instant openedAt, Instant closedAt, String registeredBy) {

    /** Registered by {@code ./salesync add-branch}. */
    public static final String BY_COMMAND = "command";
    /** Registered when the head office applied the branch's first message (a branch set up by hand). */
    public static final String BY_FIRST_CONTACT = "first contact";

    public boolean closed() {
        return closedAt != null;
    }
}
