package io.salesync.headoffice.model;

import java.time.Instant;

/** Per branch: highest sequence applied, changes applied, when the newest was made and applied. */
public record BranchProgress(
        String branchId, long lastSeq, long appliedChanges, Instant lastMessageAt, Instant lastAppliedAt) {}
