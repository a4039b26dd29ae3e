package io.salesync.common.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.TopologyRecoveryException;
import com.rabbitmq.client.impl.DefaultExceptionHandler;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ client's exception handler for our connections: what the client reports while the
 * broker is away (each failed recovery attempt, the socket error that ended the connection, a
 * channel that could not be recovered because the connection went again) goes to the
 * {@link OutageLog}, which warns once per outage and keeps the stack traces at DEBUG. The client's
 * own handler logs each of them, every recovery interval, at ERROR with a stack trace.
 *
 * <p>Everything else is left to {@link DefaultExceptionHandler}: an exception thrown by our own
 * consumer or listener code is a bug, logged at ERROR with its trace, and closes the channel.
 */
final class OutageExceptionHandler extends DefaultExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(BrokerConnector.class);

    /** What the connector makes of a failed attempt. */
    interface Describer {
        String sentence(Throwable error);

        boolean refused(Throwable error);
    }

    private final OutageLog outage;
    private final Describer describer;
    private final String retry;

    /** @param retry the end of the sentence for a failed recovery attempt ("Retrying every 2 s.") */
    OutageExceptionHandler(OutageLog outage, Describer describer, String retry) {
        this.outage = outage;
        this.describer = describer;
        this.retry = retry;
    }

    @Override
    public void handleConnectionRecoveryException(Connection connection, Throwable exception) {
        outage.attemptFailed(describer.sentence(exception), describer.refused(exception), exception, retry);
    }

    @Override
    public void handleUnexpectedConnectionDriverException(Connection connection, Throwable exception) {
        if (isConnectionFailure(exception)) {
            // the connection's shutdown, which follows, is what the outage log reports
            log.debug("The connection {} failed", connection, exception);
        } else {
            super.handleUnexpectedConnectionDriverException(connection, exception);
        }
    }

    @Override
    public void handleChannelRecoveryException(Channel channel, Throwable exception) {
        if (isConnectionFailure(exception)) {
            log.debug(
                    "Channel {} was not recovered: the connection failed again", channel.getChannelNumber(), exception);
        } else {
            super.handleChannelRecoveryException(channel, exception);
        }
    }

    @Override
    public void handleTopologyRecoveryException(
            Connection connection, Channel channel, TopologyRecoveryException exception) {
        if (isConnectionFailure(exception)) {
            log.debug("Topology not recovered: the connection failed again", exception);
        } else {
            super.handleTopologyRecoveryException(connection, channel, exception);
        }
    }

    /**
     * True when the failure is the connection's (the network, a broker that stopped, a timeout),
     * not a broker refusing one operation on a channel or refusing the user.
     */
    static boolean isConnectionFailure(Throwable error) {
        boolean io = false;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException signal) {
                if (!signal.isHardError()) {
                    return false; // a channel error: the broker refused an operation
                }
                if (signal.getReason() instanceof AMQP.Connection.Close close) {
                    return close.getReplyCode() == AMQP.CONNECTION_FORCED
                            || close.getReplyCode() == AMQP.INTERNAL_ERROR;
                }
                return true; // no close from the broker: the socket failed
            }
            io |= t instanceof IOException || t instanceof TimeoutException;
        }
        return io;
    }
}
