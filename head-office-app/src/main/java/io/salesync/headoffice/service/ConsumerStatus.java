package io.salesync.headoffice.service;

import java.time.Instant;

/**
 * What the head office consumer is doing.
 *
 * @param brokerConnected  true while consuming
 * @param brokerDetail     a sentence about the last broker problem, or null
 * @param databaseProblem  a sentence about the aggregate database, or null when it answers
 * @param appliedChanges   changes applied since start
 * @param deadLettered     messages dead-lettered since start
 * @param lastAppliedAt    when the last batch was committed, or null
 * @param waiting          deliveries received but not yet applied and acknowledged
 */
public record ConsumerStatus(boolean brokerConnected, String brokerDetail, String databaseProblem,
                             long appliedChanges, long deadLettered, Instant lastAppliedAt, int waiting) {
}
