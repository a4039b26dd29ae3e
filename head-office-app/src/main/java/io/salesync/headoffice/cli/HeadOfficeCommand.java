package io.salesync.headoffice.cli;

import io.salesync.common.cli.Commands;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The head office's command line: {@code head-office run|status|resync|checkpoint|add-branch|remove-branch [options]}. */
@Command(
        name = "head-office",
        mixinStandardHelpOptions = true,
        versionProvider = Commands.Version.class,
        description = "The salesync head office: the manager's window and the consumer of every branch's changes.",
        subcommands = {
            RunCommand.class,
            StatusCommand.class,
            RequestCommand.Resync.class,
            RequestCommand.Checkpoint.class,
            BranchAdminCommand.Add.class,
            BranchAdminCommand.Remove.class
        })
public final class HeadOfficeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "a command is needed: run, status, resync, checkpoint, add-branch or remove-branch");
    }
}
