package io.salesync.branch.messaging;

import java.time.Instant;

/**
 * What the relay is doing, for a status bar or a log line.
 *
 * @param broker          connection state
 * @param brokerDetail    a sentence about the last broker problem, or null
 * @param brokerSince     when the broker state last changed
 * @param backlog         changes not yet confirmed by the broker (-1 when unknown)
 * @param lastConfirmedAt when the broker last confirmed a change, or null
 * @param lastConfirmedSeq highest sequence number confirmed in this run, 0 when none
 * @param databaseProblem a sentence about the branch database, or null when it answers
 */
public record RelayStatus(
        BrokerState broker,
        String brokerDetail,
        Instant brokerSince,
        long backlog,
        Instant lastConfirmedAt,
        long lastConfirmedSeq,
        String databaseProblem) {

    /** The state before the relay has tried anything. */
    static RelayStatus starting(Instant now) {
        return new RelayStatus(BrokerState.STARTING, null, now, -1, null, 0, null);
    }

    /** A new broker state; {@code brokerSince} moves only when the state itself changes. */
    RelayStatus withBroker(BrokerState state, String detail, Instant now) {
        return new RelayStatus(
                state,
                detail,
                state == broker ? brokerSince : now,
                backlog,
                lastConfirmedAt,
                lastConfirmedSeq,
                databaseProblem);
    }

    /** A fresh backlog count; the database answered. */
    RelayStatus withBacklog(long count) {
        return new RelayStatus(broker, brokerDetail, brokerSince, count, lastConfirmedAt, lastConfirmedSeq, null);
    }

    /** Confirms recorded at {@code at}, up to {@code seq}; the database answered. */
    RelayStatus withConfirmed(Instant at, long seq) {
        return new RelayStatus(broker, brokerDetail, brokerSince, backlog, at, Math.max(lastConfirmedSeq, seq), null);
    }

    /** The database problem, or null once it answers again. */
    RelayStatus withDatabaseProblem(String problem) {
        return new RelayStatus(broker, brokerDetail, brokerSince, backlog, lastConfirmedAt, lastConfirmedSeq, problem);
    }

    /** The relay's view of the broker. */
    public enum BrokerState {
        /** Not yet tried. */
        STARTING,
        /** Connected and publishing. */
        CONNECTED,
        /** Lost or never reached; retrying. */
        RECONNECTING,
        /**
         * Connected, but RabbitMQ has nowhere to put the changes: the head office's queue or the
         * sales exchange does not exist (it has never run, or they were deleted). Retrying.
         */
        NO_QUEUE,
        /** Another relay (another process) is sending this branch's outbox. */
        STANDBY,
        /** Stopped. */
        STOPPED
    }
}
