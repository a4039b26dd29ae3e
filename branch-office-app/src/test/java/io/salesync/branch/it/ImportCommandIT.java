package io.salesync.branch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.branch.BranchOfficeMain;
import io.salesync.branch.config.BranchConfig;
import io.salesync.common.testing.Sandbox;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./salesync import} prints, run as its own process on a sandbox branch: a file whose
 * header cannot be used is one error about the file, never "1 row(s) rejected"; the data rows are
 * counted; and nothing is said to be sent when nothing was imported.
 */
class ImportCommandIT {

    @TempDir
    Path directory;

    private Sandbox sandbox;
    private Path config;

    @BeforeEach
    void configure() throws Exception {
        sandbox = new Sandbox();
        config = directory.resolve("branch-bo1.properties");
        Properties properties = new Properties();
        properties.putAll(sandbox.database("bo1"));
        properties.putAll(sandbox.broker());
        properties.put(BranchConfig.BRANCH_ID, "bo1");
        properties.put(BranchConfig.TAX_RATE, "0.08");
        try (Writer out = Files.newBufferedWriter(config)) {
            properties.store(out, "ImportCommandIT");
        }
    }

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void aHeaderThatCannotBeUsedIsOneLineAboutTheFileWithItsDataRowsCounted() throws Exception {
        Run run = importFile(
                "Date,Region,Product,Quantity,Cost\n2026-11-01,North,Paper,1,1.00\n2026-11-02,North,Paper,2,1.00\n"
                        + "2026-11-03,North,Paper,3,1.00\n");

        assertThat(run.status).isEqualTo(1);
        assertThat(run.err)
                .containsExactly("salesync: cannot import sales.csv: line 1: the header lacks column(s) Qty; expected"
                        + " Date,Region,Product,Qty,Cost[,Amt,Tax,Total] (3 data row(s) not imported)");
        assertThat(run.out).isEmpty();
    }

    @Test
    void whenNothingWasImportedNothingIsSaidToBeSent() throws Exception {
        Run run = importFile(
                "Date,Region,Product,Qty,Cost\n2026-11-01,North,Paper,0,1.00\n\n2026-11-02,North,Paper,2,abc\n");

        assertThat(run.status).isEqualTo(1);
        assertThat(run.out).containsExactly("Imported 0 of 2 data row(s) into branch bo1 from sales.csv; 2 rejected.");
        assertThat(run.err).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("  rejected line "));
    }

    @Test
    void rowsAtAnotherRateAreImportedAndCounted() throws Exception {
        Run run = importFile(
                "Date,Region,Product,Qty,Cost,Amt,Tax,Total\n2025-06-01,North,Paper,10,10.00,100.00,5.00,105.00\n"
                        + "2026-11-01,North,Paper,10,10.00,100.00,8.00,108.00\n");

        assertThat(run.status).isZero();
        assertThat(run.out)
                .startsWith(
                        "Imported 2 of 2 data row(s) into branch bo1 from sales.csv; 0 rejected.",
                        "1 of the imported sales carry their own tax at another rate than the branch's 8 %; stored as given.");
        assertThat(sandbox.count("bo1", "SELECT COUNT(*) FROM sale WHERE tax = 5.00 AND total = 105.00"))
                .isEqualTo(1);
    }

    private record Run(int status, List<String> out, List<String> err) {}

    private Run importFile(String csv) throws Exception {
        Path file = directory.resolve("sales.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        Path stdout = directory.resolve("stdout.txt");
        Path stderr = directory.resolve("stderr.txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsalesync.log.dir=" + directory,
                "-Dsalesync.log.level=ERROR",
                "-cp",
                System.getProperty("java.class.path"),
                BranchOfficeMain.class.getName(),
                "import",
                "--config",
                config.toString(),
                "--wait",
                "5",
                file.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SALESYNC_"));
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the import did not finish: " + Files.readString(stderr));
        }
        return new Run(process.exitValue(), Files.readAllLines(stdout), Files.readAllLines(stderr));
    }
}
