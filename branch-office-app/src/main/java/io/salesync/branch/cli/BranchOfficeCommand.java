package io.salesync.branch.cli;

import io.salesync.common.cli.Commands;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The branch office's command line: {@code branch-office run|import [options]}. */
@Command(
        name = "branch-office",
        mixinStandardHelpOptions = true,
        versionProvider = Commands.Version.class,
        description = "A salesync branch office: the clerk's window and the relay of its changes to the head office.",
        subcommands = {RunCommand.class, ImportCommand.class})
public final class BranchOfficeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a command is needed: run or import");
    }
}
