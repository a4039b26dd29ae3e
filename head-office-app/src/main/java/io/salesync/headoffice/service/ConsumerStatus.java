package io.salesync.headoffice.service;

import java.time.Instant;

/**
 * What the head office consumer is doing.
 *
 * @param brokerConnected true while consuming (or standing by)
 * @param brokerDetail    a sentence about the last broker problem, or null
 * @param databaseProblem a sentence about the aggregate database, or null when it answers
 * @param appliedChanges  changes applied since start
 * @param deadLettered    messages dead-lettered since start
 * @param lastAppliedAt   when the last batch was committed, or null
 * @param waiting         deliveries received but not yet applied and acknowledged
 * @param standby         connected, but another head-office process is the queue's active consumer
 */
public record ConsumerStatus(
        boolean brokerConnected,
        String brokerDetail,
        String databaseProblem,
        long appliedChanges,
        long deadLettered,
        Instant lastAppliedAt,
        int waiting,
        boolean standby) {

    /** Before the consumer has tried anything. */
    public static ConsumerStatus starting() {
        return new ConsumerStatus(false, "starting", null, 0, 0, null, 0, false);
    }

    /** Consuming (detail null) or not, and why. */
    public ConsumerStatus withBroker(boolean connected, String detail, int waitingNow) {
        return new ConsumerStatus(
                connected,
                detail,
                databaseProblem,
                appliedChanges,
                deadLettered,
                lastAppliedAt,
                waitingNow,
                connected && standby);
    }

    /** The database problem, or null once it answers again. */
    public ConsumerStatus withDatabaseProblem(String problem) {
        return new ConsumerStatus(
                brokerConnected, brokerDetail, problem, appliedChanges, deadLettered, lastAppliedAt, waiting, standby);
    }

    /** More deliveries settled: {@code applied} sale changes, {@code refused} dead-lettered, at {@code at}. */
    public ConsumerStatus withSettled(long applied, long refused, Instant at, int waitingNow) {
        return new ConsumerStatus(
                brokerConnected,
                brokerDetail,
                databaseProblem,
                appliedChanges + applied,
                deadLettered + refused,
                at,
                waitingNow,
                standby);
    }

    /** Whether another process is the active consumer. */
    public ConsumerStatus withStandby(boolean standingBy) {
        return new ConsumerStatus(
                brokerConnected,
                brokerDetail,
                databaseProblem,
                appliedChanges,
                deadLettered,
                lastAppliedAt,
                waiting,
                standingBy);
    }

    /** Connected and the queue's active consumer. */
    public boolean consuming() {
        return brokerConnected && !standby;
    }
}
