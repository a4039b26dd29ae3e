package io.salesync.common.amqp;

/** Names of the AMQP headers salesync sets. The protocol is described in docs/protocol.md. */
public final class MessageHeaders {

    /** Schema version of the JSON body. */
    public static final String SCHEMA_VERSION = "x-schema-version";
    /** Why a message was dead-lettered by the head office. */
    public static final String DEAD_LETTER_REASON = "x-salesync-reason";
    /** Routing key the message had before it was dead-lettered. */
    public static final String ORIGINAL_ROUTING_KEY = "x-salesync-original-routing-key";
    /** The user_id the message had (the republished copy cannot keep it: the broker checks it). */
    public static final String ORIGINAL_USER_ID = "x-salesync-original-user-id";
    /** When the head office dead-lettered it, ISO-8601. */
    public static final String DEAD_LETTERED_AT = "x-salesync-dead-lettered-at";

    private MessageHeaders() {}
}
