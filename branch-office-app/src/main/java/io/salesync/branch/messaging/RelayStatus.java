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
public record RelayStatus(BrokerState broker, String brokerDetail, Instant brokerSince, long backlog,
                          Instant lastConfirmedAt, long lastConfirmedSeq, String databaseProblem) {

    /** The relay's view of the broker. */
    public enum BrokerState {
        /** Not yet tried. */
        STARTING,
        /** Connected and publishing. */
        CONNECTED,
        /** Lost or never reached; retrying. */
        RECONNECTING,
        /** Another relay (another process) is sending this branch's outbox. */
        STANDBY,
        /** Stopped. */
        STOPPED
    }
}
