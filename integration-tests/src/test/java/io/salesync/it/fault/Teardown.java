package io.salesync.it.fault;

import java.util.List;

/** Closing a rig: every step runs, even after one failed; the first failure is thrown with the others attached. */
final class Teardown {

    private Teardown() {}

    static void runAll(List<Runnable> steps) {
        RuntimeException first = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
