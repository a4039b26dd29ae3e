package io.salesync.branch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static CommandLine parse(String... args) {
        return CommandLine.parse(args);
    }

    @Test
    void runTakesAnIdAndHeadless() {
        assertThat(parse("run", "--id", "bo1", "--headless"))
                .isEqualTo(new CommandLine("run", "bo1", null, true, 60, List.of()));
    }

    @Test
    void importTakesAConfigFileAWaitAndOneCsvFile() {
        assertThat(parse("import", "--id", "bo2", "--config", "config/branch-bo2.properties", "--wait", "5", "sales.csv"))
                .isEqualTo(new CommandLine("import", "bo2", Path.of("config/branch-bo2.properties"), false, 5,
                        List.of("sales.csv")));
    }

    @Test
    void optionsMayFollowTheFile() {
        CommandLine commandLine = parse("import", "sales.csv", "--id", "bo1");

        assertThat(commandLine.files()).containsExactly("sales.csv");
        assertThat(commandLine.branchId()).isEqualTo("bo1");
    }

    @Test
    void idMayComeFromTheConfigurationInstead() {
        assertThat(parse("run", "--headless").branchId()).isNull();
    }

    @Test
    void noArgumentsIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(CommandLineTest::parse).withMessage("no command given");
    }

    @Test
    void unknownCommandIsRefusedByName() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("start", "--id", "bo1"))
                .withMessage("unknown command 'start'");
    }

    @Test
    void unknownOptionIsRefusedByName() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("run", "--verbose"))
                .withMessage("unknown option --verbose");
    }

    @Test
    void optionWithoutItsValueIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("run", "--id"))
                .withMessage("--id needs a value");
    }

    @Test
    void waitThatIsNotANumberIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("import", "--wait", "soon", "sales.csv"))
                .withMessage("--wait takes a number of seconds");
    }

    @Test
    void importWithoutAFileIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("import", "--id", "bo1"))
                .withMessage("import takes exactly one CSV file");
    }

    @Test
    void importWithTwoFilesIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("import", "a.csv", "b.csv"))
                .withMessage("import takes exactly one CSV file");
    }

    @Test
    void runWithAStrayArgumentIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("run", "--id", "bo1", "sales.csv"))
                .withMessage("unexpected argument sales.csv");
    }

    @Test
    void usageNamesBothCommands() {
        assertThat(CommandLine.USAGE).contains("branch-office run [--id ID]").contains("branch-office import [--id ID]");
    }
}
