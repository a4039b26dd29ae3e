package io.salesync.branch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.branch.BranchOfficeMain;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.service.SaleImporter;
import io.salesync.common.testing.Sandbox;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 100 MiB CSV goes through the real command line ({@code salesync import}) in a JVM whose heap
 * is 32 MiB, against a real branch database. Nothing that grows with the file may stay in memory:
 * the file as text would take 200 MiB, the rejected rows with their reasons about 70 MiB.
 *
 * <p>One row in 250 is good and is saved (with its outbox row); the others are bad in six rotating
 * ways and are rejected. Saving every row of a 100 MiB file (about 530,000 sales of 200 bytes, each
 * with its outbox row) would take several minutes on a shared build machine, so the saving path is
 * proven in full on a smaller file ({@link CsvImportIT}) and here on about 2,000 rows, while the
 * reading, parsing and rejecting path goes through all 100 MiB. Before the importer kept only the
 * first rejected rows' reasons, this run ended in an OutOfMemoryError partway through the file.
 */
class HundredMegabyteImportIT {

    private static final long FILE_BYTES = 100L << 20;
    private static final String HEAP = "-Xmx32m";
    private static final String REGION = "North-East Metropolitan Distribution Centre";
    private static final String PRODUCT =
            "Archival storage box, acid-free corrugated board, 25 x 31 x 38 cm, lid and handles, pack of ten,"
                    + " grey, recycled fibre 80 %, 2 kg";

    /** One in every {@value} rows is good. */
    private static final int GOOD_EVERY = 250;

    @Test
    void aHundredMegabyteFileImportsInAThirtyTwoMegabyteHeap(@TempDir Path directory) throws Exception {
        try (Sandbox sandbox = new Sandbox()) {
            Path csv = directory.resolve("hundred-megabytes.csv");
            long[] rows = writeFile(csv);
            long good = rows[0];
            long bad = rows[1];
            assertThat(Files.size(csv)).isGreaterThanOrEqualTo(FILE_BYTES);

            Path config = directory.resolve("branch-bo1.properties");
            Properties properties = new Properties();
            properties.putAll(sandbox.database("bo1"));
            properties.putAll(sandbox.broker());
            properties.put(BranchConfig.BRANCH_ID, "bo1");
            properties.put(BranchConfig.TAX_RATE, "0.08");
            try (Writer out = Files.newBufferedWriter(config)) {
                properties.store(out, "HundredMegabyteImportIT");
            }

            Path stdout = directory.resolve("stdout.txt");
            Path stderr = directory.resolve("stderr.txt");
            ProcessBuilder builder = new ProcessBuilder(javaCommand(
                            directory, "import", "--config", config.toString(), "--wait", "0", csv.toString()))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(name -> name.startsWith("SALESYNC_"));
            Process process = builder.start();
            boolean finished = process.waitFor(180, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }

            String out = Files.readString(stdout);
            List<String> err = Files.readAllLines(stderr);
            assertThat(finished)
                    .as("import finished; stderr ends with %s", tail(err))
                    .isTrue();
            assertThat(String.join("\n", err)).doesNotContain("OutOfMemoryError");
            assertThat(process.exitValue())
                    .as("exit status (1: rows were rejected); stderr ends with %s", tail(err))
                    .isEqualTo(1);
            assertThat(out)
                    .contains(String.format(
                            "Imported %,d of %,d data row(s) into branch bo1 from %s; %,d rejected.",
                            good, good + bad, csv.getFileName(), bad));
            assertThat(err.stream().filter(line -> line.startsWith("  rejected line ")))
                    .hasSize(SaleImporter.MAX_LISTED_REJECTIONS);
            assertThat(err)
                    .contains(String.format(
                            "  ... and %,d more rejected row(s); only the first %,d are listed",
                            bad - SaleImporter.MAX_LISTED_REJECTIONS, SaleImporter.MAX_LISTED_REJECTIONS));
            assertThat(sandbox.count("bo1", "SELECT COUNT(*) FROM sale")).isEqualTo(good);
            assertThat(sandbox.count(
                            "bo1",
                            "SELECT COUNT(*) FROM sale WHERE region = ? AND product = ? AND qty = 2 AND total = 6.48",
                            REGION,
                            PRODUCT))
                    .isEqualTo(good);
            assertThat(sandbox.count("bo1", "SELECT COUNT(*) FROM outbox")).isEqualTo(good);
        }
    }

    /**
     * Writes at least {@link #FILE_BYTES} of CSV: one good row in {@value #GOOD_EVERY}, the others
     * bad in turn. Returns {good rows, bad rows}.
     */
    private static long[] writeFile(Path csv) throws IOException {
        String sale = REGION + ",\"" + PRODUCT + "\"";
        String goodRow = "2026-11-26," + sale + ",2,3.00,6.00,0.48,6.48\n";
        String[] badRows = {
            "2026-11-26," + sale + ",0,3.00,,,\n",
            "2026-02-30," + sale + ",2,3.00,,,\n",
            "2026-11-26," + sale + ",2,3.00,6.00,0.60,6.50\n",
            "2026-11-26," + sale + ",2,3.00\n",
            "2026-11-26," + REGION + ",\"" + PRODUCT + ",2,3.00,,,\n",
            "2026-11-26," + sale + ",2,three,,,\n",
        };
        long good = 0;
        long bad = 0;
        long bytes = 0;
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            String header = "Date,Region,Product,Qty,Cost,Amt,Tax,Total\n";
            out.write(header);
            bytes += header.length();
            for (long row = 0; bytes < FILE_BYTES; row++) {
                String line;
                if (row % GOOD_EVERY == 0) {
                    line = goodRow;
                    good++;
                } else {
                    line = badRows[(int) (bad % badRows.length)];
                    bad++;
                }
                out.write(line);
                bytes += line.length();
            }
        }
        return new long[] {good, bad};
    }

    /** The branch office's command line in a new JVM with a small heap and this test's classpath. */
    private static List<String> javaCommand(Path logDirectory, String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP,
                "-XX:+ExitOnOutOfMemoryError",
                "-Dsalesync.log.dir=" + logDirectory,
                "-Dsalesync.log.level=WARN",
                "-cp",
                System.getProperty("java.class.path"),
                BranchOfficeMain.class.getName()));
        command.addAll(List.of(arguments));
        return command;
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 10), lines.size());
    }
}
