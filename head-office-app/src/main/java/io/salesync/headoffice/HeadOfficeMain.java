package io.salesync.headoffice;

import io.salesync.common.cli.Commands;
import io.salesync.headoffice.cli.HeadOfficeCommand;

/**
 * Command-line entry of the head office ({@link HeadOfficeCommand}): {@code run} (the window and the
 * consumer, the consumer alone with --headless, or a window that only reads with --view), {@code status}, and {@code resync} /
 * {@code checkpoint}, which ask a branch to resend everything or to state its figures now.
 */
public final class HeadOfficeMain {

    private HeadOfficeMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns the exit status: 0 done (status: every branch matched), 1 failed or not matched, 2 usage. */
    public static int run(String[] args) {
        return Commands.execute(new HeadOfficeCommand(), args);
    }
}
