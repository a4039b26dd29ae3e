package io.salesync.common.amqp;

/** RabbitMQ cannot be reached or refused the login; the message says where and what to check. */
public class BrokerUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
