package io.salesync.common.cli;

import io.salesync.common.config.ConfigException;
import io.salesync.common.db.StorageException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Runs a command line of either application the same way: {@code --help} and {@code --version} on
 * every command; a usage error (an unknown option, a missing value, a missing command) is one line
 * {@code salesync: <what>} and a hint, exit status 2; a configuration the application cannot use is
 * one line and status 2; a database that refuses or does not answer is one line and status 2 when
 * the configuration is at fault (a refused user, a missing database or right), else 1.
 */
public final class Commands {

    /** Exit status of a usage or configuration error. */
    public static final int USAGE = 2;

    private Commands() {}

    /** Parses and runs, writing to the process's standard output and error; returns the exit status. */
    public static int execute(Object command, String[] args) {
        return execute(command, args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** Parses and runs, writing to {@code out} and {@code err}; returns the exit status. */
    public static int execute(Object command, String[] args, PrintWriter out, PrintWriter err) {
        return new CommandLine(command)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(Commands::usageError)
                .setExecutionExceptionHandler(Commands::failure)
                .execute(args);
    }

    private static int usageError(ParameterException error, String[] args) {
        CommandLine command = error.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("salesync: " + error.getMessage());
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
        return USAGE;
    }

    private static int failure(Exception error, CommandLine command, ParseResult parsed) throws Exception {
        PrintWriter err = command.getErr();
        if (error instanceof ConfigException) {
            err.println("salesync: " + error.getMessage());
            return USAGE;
        }
        if (error instanceof StorageException storage) {
            err.println("salesync: " + storage.getMessage());
            return storage.kind().configuration() ? USAGE : 1;
        }
        throw error;
    }

    /** The version of the running jar, for {@code --version}. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Commands.class.getPackage().getImplementationVersion();
            return new String[] {"salesync " + (version == null ? "(development build)" : version)};
        }
    }
}
