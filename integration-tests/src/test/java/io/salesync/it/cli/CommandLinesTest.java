package io.salesync.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.branch.cli.BranchOfficeCommand;
import io.salesync.common.cli.Commands;
import io.salesync.headoffice.cli.HeadOfficeCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both applications' command lines behave alike: the same help, the same one-line error with a
 * hint for an unknown option, a missing value or a missing command, exit status 2 for every usage
 * error.
 */
class CommandLinesTest {

    private record Run(int status, String out, String err) {}

    private static Run run(Supplier<Object> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Commands.execute(command.get(), args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    private static Supplier<Object> application(String name) {
        return name.equals("branch-office") ? BranchOfficeCommand::new : HeadOfficeCommand::new;
    }

    @ParameterizedTest
    @ValueSource(strings = {"branch-office", "head-office"})
    void anUnknownOptionIsOneLineNamingItAndAHintWithStatus2(String name) {
        Run run = run(application(name), "run", "--verbose");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().lines().toList())
                .containsExactly(
                        "salesync: Unknown option: '--verbose'", "Try '" + name + " run --help' for the options.");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"branch-office", "head-office"})
    void aMissingValueIsNamedWithStatus2(String name) {
        Run run = run(application(name), "run", "--config");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("salesync: Missing required parameter for option '--config'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"branch-office", "head-office"})
    void noCommandOrAnUnknownOneIsAUsageError(String name) {
        assertThat(run(application(name)).status()).isEqualTo(2);
        assertThat(run(application(name)).err()).startsWith("salesync: a command is needed: run");
        Run unknown = run(application(name), "start");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("salesync: Unmatched argument at index 0: 'start'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"branch-office", "head-office"})
    void helpListsTheCommandsAndEndsWithStatus0(String name) {
        Run run = run(application(name), "--help");

        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("Usage: " + name).contains("run", "--help", "--version");
        Run commandHelp = run(application(name), "run", "--help");
        assertThat(commandHelp.status()).isZero();
        assertThat(commandHelp.out()).contains("--config=FILE", "--headless");
    }

    @Test
    void theHeadOfficeRefusesARequestWithoutABranch() {
        Run run = run(HeadOfficeCommand::new, "resync");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("salesync: Missing required option: '--branch=ID'");
    }

    @Test
    void aViewOnlyWindowCannotAlsoConsumeHeadless() {
        Run run = run(HeadOfficeCommand::new, "run", "--view", "--headless");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("salesync: --view opens a window that only reads; --headless consumes without a"
                        + " window: use one or the other");
        assertThat(run(HeadOfficeCommand::new, "run", "--help").out()).contains("--view");
    }

    @Test
    void aViewOnlyConfigurationIsRefusedForTheHeadlessConsumer(@TempDir Path dir) throws IOException {
        Path file =
                Files.writeString(dir.resolve("head-office-view.properties"), "salesync.head-office.view-only=true\n");

        Run run = run(HeadOfficeCommand::new, "run", "--headless", "--config", file.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("salesync: salesync.head-office.view-only=true is for a window that only reads;"
                        + " --headless consumes: set it to false, or run without --headless");
    }
}
