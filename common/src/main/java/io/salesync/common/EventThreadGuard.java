package io.salesync.common;

/**
 * Refuses blocking work (database, broker) on the Swing event thread, where it would freeze the
 * window. Recognises the thread by its name so that code outside the UI needs no Swing.
 */
public final class EventThreadGuard {

    private EventThreadGuard() {}

    /** @throws IllegalStateException when called on the AWT/Swing event dispatch thread */
    public static void requireOffEventThread(String what) {
        if (Thread.currentThread().getName().startsWith("AWT-EventQueue")) {
            throw new IllegalStateException(what + " must not run on the Swing event thread");
        }
    }
}
