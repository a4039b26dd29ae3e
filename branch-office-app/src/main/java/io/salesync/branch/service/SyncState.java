package io.salesync.branch.service;

import java.time.Instant;

/**
 * How the branch's changes are getting to the head office, for the status bar: the relay's view
 * of the broker and of the outbox, in terms the window may know.
 *
 * @param broker           connection state
 * @param brokerDetail     a sentence about the last broker problem, or null
 * @param brokerSince      when the broker state last changed
 * @param backlog          changes not yet confirmed by the broker (-1 when unknown)
 * @param lastConfirmedAt  when the broker last confirmed a change, or null
 * @param lastConfirmedSeq highest change number confirmed in this run, 0 when none
 * @param databaseProblem  a sentence about the branch database, or null when it answers
 */
public record SyncState(
        Broker broker,
        String brokerDetail,
        Instant brokerSince,
        long backlog,
        Instant lastConfirmedAt,
        long lastConfirmedSeq,
        String databaseProblem) {

    /** The broker as the clerk sees it. */
    public enum Broker {
        /** Not sending yet: the branch database has not answered, or the relay has not started. */
        OFFLINE,
        /** First connection under way. */
        CONNECTING,
        /** Connected; changes are sent as they are saved. */
        CONNECTED,
        /** Lost or never reached; retrying. Changes wait in the outbox. */
        RECONNECTING,
        /** Connected, but the head office's queue does not exist yet; retrying. Changes wait in the outbox. */
        NO_QUEUE,
        /** Another process (an import, say) is sending this branch's changes. */
        STANDBY
    }

    /** Before anything is known: not sending. */
    public static SyncState offline(Instant since) {
        return new SyncState(Broker.OFFLINE, null, since, -1, null, 0, null);
    }
}
