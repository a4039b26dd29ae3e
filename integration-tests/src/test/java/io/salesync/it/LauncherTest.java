package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher script's own checks, which answer before anything is built or started. */
class LauncherTest {

    private static final Path LAUNCHER =
            Path.of("..", "salesync").toAbsolutePath().normalize();

    @Test
    void aBranchThatIsNotConfiguredIsOneLineNamingTheFileAndTheConfiguredBranches(@TempDir Path config)
            throws Exception {
        Files.writeString(config.resolve("branch-bo1.properties"), "salesync.branch.id=bo1\n");
        Files.writeString(config.resolve("branch-bo2.properties"), "salesync.branch.id=bo2\n");
        Files.writeString(config.resolve("head-office.properties"), "");

        for (List<String> command : List.of(
                List.of("import", "--branch", "bo9", "sales.csv"),
                List.of("branch", "--id", "bo9"),
                List.of("resync", "--branch", "bo9"))) {
            Result result = run(config, command);

            assertThat(result.status).as("exit status of %s", command).isEqualTo(2);
            assertThat(result.err)
                    .as("what %s says", command)
                    .containsExactly("salesync: no configuration file " + config.resolve("branch-bo9.properties")
                            + " for branch 'bo9'; configured branches: bo1, bo2");
        }
    }

    private record Result(int status, List<String> err) {}

    private static Result run(Path config, List<String> arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(arguments);
        Path err = Files.createTempFile("launcher", ".err");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SALESYNC_CONFIG_DIR", config.toString());
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not answer");
        }
        List<String> lines = Files.readAllLines(err);
        Files.delete(err);
        return new Result(process.exitValue(), lines);
    }
}
