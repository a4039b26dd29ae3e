package io.salesync.common.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * One operation on a channel of its own, for operations the broker may refuse: a refusal closes
 * the channel it came on, and the caller's channel stays open.
 */
final class Probe {

    /** An operation on a channel. */
    @FunctionalInterface
    interface Operation {
        void run(Channel channel) throws IOException;
    }

    private Probe() {}

    /**
     * Runs {@code operation}; 0 when it succeeded, the broker's reply code (such as 406,
     * PRECONDITION_FAILED) when the broker refused it.
     *
     * @throws IOException when the connection failed or the broker refused with 404 or a 5xx code
     *                     (a queue whose node is down, a connection error): nothing to decide on
     */
    static int refusal(Connection connection, Operation operation) throws IOException {
        Channel probe = connection.createChannel();
        try {
            operation.run(probe);
            return 0;
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException signal
                    && !signal.isHardError()
                    && signal.getReason() instanceof AMQP.Channel.Close close
                    && (close.getReplyCode() == AMQP.PRECONDITION_FAILED
                            || close.getReplyCode() == AMQP.RESOURCE_LOCKED)) {
                return close.getReplyCode();
            }
            throw e;
        } finally {
            if (probe.isOpen()) {
                try {
                    probe.close();
                } catch (IOException | TimeoutException | RuntimeException e) {
                    // the operation's outcome is known; a channel that does not close goes with its connection
                }
            }
        }
    }

    /** Runs {@code operation}, failing on any refusal. */
    static void require(Connection connection, Operation operation) throws IOException {
        int refusal = refusal(connection, operation);
        if (refusal != 0) {
            throw new IOException("RabbitMQ refused the operation with reply code " + refusal);
        }
    }
}
