package io.salesync.headoffice.model;

import java.time.Instant;

/**
 * The latest heartbeat of a branch, as the head office recorded it.
 *
 * @param receivedAt      when the head office received it (head-office clock)
 * @param sentAt          when the branch sent it (branch clock)
 * @param lastSeq         the highest sequence number the branch had written to its outbox
 * @param previousLastSeq the same figure in the heartbeat before it, 0 when there was none
 * @param unconfirmed     of those, the changes the broker had not confirmed yet
 * @param intervalSeconds how often the branch sends one
 */
public record LastHeartbeat(
        String branchId,
        Instant receivedAt,
        Instant sentAt,
        long lastSeq,
        long previousLastSeq,
        long unconfirmed,
        int intervalSeconds) {}
