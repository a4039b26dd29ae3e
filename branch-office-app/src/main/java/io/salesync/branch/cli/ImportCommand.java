package io.salesync.branch.cli;

import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.messaging.RelayStatus;
import io.salesync.branch.messaging.RelayStatus.BrokerState;
import io.salesync.branch.service.SaleImporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code import}: saves the valid rows of a CSV file as new sales, reports each rejected row with
 * its line number, then sends the new changes, waiting for the broker's confirms at most
 * {@code --wait} seconds (what is not sent by then stays safely in the outbox). Exit status 0 when
 * every row went in.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Saves the sales of a CSV file (Date,Region,Product,Qty,Cost[,Amt,Tax,Total]) and sends them.")
final class ImportCommand implements Callable<Integer> {

    @Mixin
    BranchOptions branch;

    @Option(
            names = "--wait",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "how long to wait for the broker to confirm the new changes (default: ${DEFAULT-VALUE})")
    int waitSeconds;

    @Parameters(index = "0", paramLabel = "FILE.csv", description = "the CSV file")
    Path file;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private PrintWriter err;

    @Override
    public Integer call() {
        branch.nameLogFile();
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        return importFile(branch.load(), file, waitSeconds);
    }

    private int importFile(BranchConfig config, Path file, int waitSeconds) {
        if (!Files.isReadable(file)) {
            err.println("salesync: cannot read " + file.toAbsolutePath());
            return 1;
        }
        try (BranchOffice branch = BranchOffice.open(config, status -> {})) {
            long size = Files.size(file);
            boolean terminal = System.console() != null;
            SaleImporter.Result result;
            try (Reader reader = SaleImporter.open(file)) {
                Instant[] lastPrint = {Instant.EPOCH};
                result = new SaleImporter(branch.saleService())
                        .importCsv(
                                reader,
                                (chars, imported, rejected) -> {
                                    if (terminal
                                            && Duration.between(lastPrint[0], Instant.now())
                                                            .toMillis()
                                                    >= 500) {
                                        lastPrint[0] = Instant.now();
                                        err.printf(
                                                "\r  %,d imported, %,d rejected (%d %%)",
                                                imported,
                                                rejected,
                                                size == 0 ? 100 : Math.min(100, chars * 100 / size));
                                    }
                                },
                                () -> false);
            }
            if (terminal) {
                err.print("\r\033[K");
            }
            if (result.fileProblem() != null) {
                err.printf(
                        "salesync: cannot import %s: %s (%,d data row(s) not imported)%n",
                        file.getFileName(), result.fileProblem(), result.dataRows());
                return 1;
            }
            result.rejections().forEach(rejection -> err.println("  rejected " + rejection));
            if (!result.allListed()) {
                err.printf(
                        "  ... and %,d more rejected row(s); only the first %,d are listed%n",
                        result.rejected() - result.rejections().size(), SaleImporter.MAX_LISTED_REJECTIONS);
            }
            out.printf(
                    "Imported %,d of %,d data row(s) into branch %s from %s; %,d rejected.%n",
                    result.imported(), result.dataRows(), config.branchId(), file.getFileName(), result.rejected());
            if (result.otherRate() > 0) {
                out.printf(
                        "%,d of the imported sales carry their own tax at another rate than the branch's %s; stored as given.%n",
                        result.otherRate(), config.taxRate());
            }
            if (result.imported() > 0) {
                sendNow(branch, waitSeconds);
            }
            return result.rejected() == 0 ? 0 : 1;
        } catch (NoSuchFileException e) {
            err.println("salesync: no such file " + file.toAbsolutePath());
            return 1;
        } catch (IOException e) {
            err.println("salesync: cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Sends the outbox now when no other relay for this branch is running, waiting at most
     * {@code waitSeconds}; what is not sent by then stays safely in the outbox.
     */
    private void sendNow(BranchOffice branch, int waitSeconds) {
        branch.startRelay();
        Instant deadline = Instant.now().plusSeconds(waitSeconds);
        RelayStatus status = branch.relay().status();
        while (Instant.now().isBefore(deadline)) {
            status = branch.relay().status();
            if (status.broker() == BrokerState.STANDBY) {
                out.println("The running branch office for " + branch.config().branchId() + " is sending the changes.");
                return;
            }
            if (status.broker() == BrokerState.CONNECTED && status.backlog() == 0) {
                out.println("All changes confirmed by the broker.");
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        out.printf(
                "%,d change(s) wait in the outbox (%s); the branch office sends them when the broker answers.%n",
                Math.max(status.backlog(), 0), status.brokerDetail() == null ? status.broker() : status.brokerDetail());
    }
}
