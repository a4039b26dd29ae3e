package io.salesync.branch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** What the branch office's command line understands. */
class BranchOfficeCommandTest {

    private static ParseResult parse(String... args) {
        return new CommandLine(new BranchOfficeCommand()).parseArgs(args);
    }

    private static <T> T command(ParseResult parsed, Class<T> type) {
        return type.cast(parsed.subcommand().commandSpec().userObject());
    }

    @Test
    void runTakesAnIdAConfigurationAndHeadless() {
        RunCommand run = command(
                parse("run", "--id", "bo1", "--config", "config/branch-bo1.properties", "--headless"),
                RunCommand.class);

        assertThat(run.branch.id).isEqualTo("bo1");
        assertThat(run.branch.config).isEqualTo(Path.of("config/branch-bo1.properties"));
        assertThat(run.headless).isTrue();
    }

    @Test
    void importTakesAWaitAndOneCsvFileWhereverTheOptionsStand() {
        ImportCommand imported =
                command(parse("import", "sales.csv", "--id", "bo2", "--wait", "5"), ImportCommand.class);

        assertThat(imported.file).isEqualTo(Path.of("sales.csv"));
        assertThat(imported.branch.id).isEqualTo("bo2");
        assertThat(imported.waitSeconds).isEqualTo(5);
        assertThat(command(parse("import", "sales.csv"), ImportCommand.class).waitSeconds)
                .as("the default")
                .isEqualTo(60);
    }

    @Test
    void theIdMayComeFromTheConfigurationInstead() {
        assertThat(command(parse("run", "--headless"), RunCommand.class).branch.id)
                .isNull();
    }

    @Test
    void usageErrorsAreRefusedWithWhatIsWrong() {
        for (List<String> args : List.of(
                List.of("start"),
                List.of("run", "--verbose"),
                List.of("run", "--id"),
                List.of("import", "--wait", "soon", "sales.csv"),
                List.of("import", "--id", "bo1"),
                List.of("import", "a.csv", "b.csv"),
                List.of("run", "extra"))) {
            assertThatThrownBy(() -> parse(args.toArray(String[]::new)))
                    .as("%s", args)
                    .isInstanceOf(ParameterException.class);
        }
    }
}
