package io.salesync.headoffice.service;

import io.salesync.headoffice.persistence.BranchRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a branch in the head office's registry when the head office applies its first message
 * (a branch set up by hand), without a query per batch: the branches this process has seen are kept
 * in memory, and only a branch not seen yet costs an {@code INSERT IGNORE} (and, when the branch was
 * registered already, one read of whether it is closed), in the batch's own transaction.
 *
 * <p>A message of a closed branch is applied like any other (nothing may be lost); the branch stays
 * closed and this process logs it once. Safe for several applier threads.
 */
public final class FirstContact {

    private static final Logger log = LoggerFactory.getLogger(FirstContact.class);

    private final BranchRegistry registry;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    public FirstContact(BranchRegistry registry) {
        this.registry = registry;
    }

    /** The branches of a batch this process has not registered yet. */
    public List<String> unseen(Collection<String> branchIds) {
        return branchIds.stream().filter(id -> !seen.contains(id)).toList();
    }

    /** Registers {@code unseen} in the batch's transaction; returns those that are closed. */
    public List<String> register(Connection connection, List<String> unseen, Instant now) throws SQLException {
        return unseen.isEmpty() ? List.of() : registry.registerOnFirstContact(connection, unseen, now);
    }

    /** After the batch committed: remembers the branches, and logs once each closed one that still sends. */
    public void committed(List<String> unseen, List<String> closed) {
        for (String id : closed) {
            if (!seen.contains(id)) {
                log.warn(
                        "Branch {} is closed (./salesync remove-branch) but its messages still arrive; they are"
                                + " applied and the branch stays closed",
                        id);
            }
        }
        seen.addAll(unseen);
    }
}
