package io.salesync.common.codec;

/**
 * A message body that cannot be turned into a change: not JSON, wrong shape, a missing field, an
 * unknown schema version. The message says which field and why, for the dead-letter reason header.
 */
public class MessageFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public MessageFormatException(String reason) {
        super(reason);
    }

    public MessageFormatException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
