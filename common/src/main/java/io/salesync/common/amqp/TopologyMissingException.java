package io.salesync.common.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;

/**
 * An exchange or queue that only the head office declares does not exist (yet) on the broker: the
 * head office has not run, or has not yet created what this branch needs. The message says which
 * name and who creates it; the cause is the broker's {@code NOT_FOUND}.
 */
public final class TopologyMissingException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String name;

    public TopologyMissingException(String name, String message, Throwable cause) {
        super(message, cause);
        this.name = name;
    }

    /** The exchange or queue that is missing. */
    public String name() {
        return name;
    }

    /** True when a channel operation failed because the broker has no such exchange or queue (404). */
    static boolean isNotFound(IOException error) {
        return error.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == AMQP.NOT_FOUND;
    }
}
