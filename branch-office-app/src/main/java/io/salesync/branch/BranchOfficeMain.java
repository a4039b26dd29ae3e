package io.salesync.branch;

import io.salesync.branch.cli.BranchOfficeCommand;
import io.salesync.common.cli.Commands;

/**
 * Command-line entry of the branch office ({@link BranchOfficeCommand}): {@code run} (the window, or
 * the relay alone with --headless) and {@code import}.
 */
public final class BranchOfficeMain {

    private BranchOfficeMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns the process exit status: 0 done, 1 failed, 2 bad usage or configuration. */
    public static int run(String[] args) {
        return Commands.execute(new BranchOfficeCommand(), args);
    }
}
