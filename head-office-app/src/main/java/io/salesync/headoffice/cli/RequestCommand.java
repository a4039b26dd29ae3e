package io.salesync.headoffice.cli;

import io.salesync.common.config.ConfigException;
import io.salesync.common.event.BranchCommand;
import io.salesync.common.sale.SaleValidator;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.model.RegisteredBranch;
import io.salesync.headoffice.service.BranchRequests;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code resync} and {@code checkpoint}: asks a branch, through its control queue, to resend everything or to state its figures. */
abstract class RequestCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--branch", paramLabel = "ID", required = true, description = "the branch to ask")
    String branch;

    @Option(
            names = "--config-dir",
            paramLabel = "DIR",
            description =
                    "where the branches' configuration files are (default: the directory of the head office's file)")
    Path configDir;

    @Spec
    CommandSpec spec;

    abstract BranchCommand.Action action();

    @Override
    public Integer call() {
        if (!SaleValidator.isValidBranchId(branch)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "'" + branch + "' is not a branch id (lower-case letters, digits, '-' or '_', at most 32)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (HeadOffice headOffice = HeadOffice.open(config.load(), status -> {})) {
            Optional<RegisteredBranch> entry =
                    KnownBranches.require(headOffice.registry(), config.branchDirectory(configDir), branch);
            if (entry.isPresent() && entry.get().closed()) {
                throw new ConfigException("branch " + branch + " is closed (./salesync remove-branch): it takes no"
                        + " requests; ./salesync add-branch --id " + branch + " opens it again");
            }
            BranchCommand command = BranchCommand.of(
                    branch, action(), Instant.now(), "operator " + System.getProperty("user.name", "?"));
            headOffice.requests().send(command);
            out.println("Asked branch " + branch + " to " + action().wireName() + " (request " + command.requestId()
                    + ").");
            out.println(
                    action() == BranchCommand.Action.RESYNC
                            ? "The branch resends every sale when it next runs; follow it with ./salesync status."
                            : "The branch sends its figures when it next runs; ./salesync status shows the verdict.");
            return 0;
        } catch (BranchRequests.RequestException e) {
            spec.commandLine().getErr().println("salesync: " + e.getMessage());
            return 1;
        } catch (SQLException e) {
            spec.commandLine()
                    .getErr()
                    .println("salesync: could not read the head office's branches: " + e.getMessage());
            return 1;
        }
    }

    @Command(
            name = "resync",
            mixinStandardHelpOptions = true,
            description =
                    "Asks a branch to resend every sale; the head office then holds exactly what the branch holds.")
    static final class Resync extends RequestCommand {
        @Override
        BranchCommand.Action action() {
            return BranchCommand.Action.RESYNC;
        }
    }

    @Command(
            name = "checkpoint",
            mixinStandardHelpOptions = true,
            description = "Asks a branch to state its figures now, for the head office to compare with its own.")
    static final class Checkpoint extends RequestCommand {
        @Override
        BranchCommand.Action action() {
            return BranchCommand.Action.CHECKPOINT;
        }
    }
}
