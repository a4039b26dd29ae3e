package io.salesync.common;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A component's current status, an immutable value: read by any thread, changed by several (the
 * component's own thread and the AMQP client's callbacks), and told to the listener only when a
 * change made it differ. Changes are applied one at a time, so that none is lost to another.
 *
 * @param <S> the status record
 */
public class StatusBoard<S> {

    private final Object lock = new Object();
    private final Consumer<S> listener;
    private volatile S status;

    protected StatusBoard(S initial, Consumer<S> listener) {
        this.status = initial;
        this.listener = listener;
    }

    public S current() {
        return status;
    }

    /** Applies a change and tells the listener, only when something changed. */
    public void update(UnaryOperator<S> change) {
        S previous;
        S next;
        synchronized (lock) {
            previous = status;
            next = change.apply(previous);
            status = next;
        }
        if (!next.equals(previous)) {
            listener.accept(next);
        }
    }
}
