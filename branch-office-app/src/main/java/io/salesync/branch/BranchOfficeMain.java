package io.salesync.branch;

import io.salesync.branch.cli.CommandLine;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.messaging.RelayStatus;
import io.salesync.branch.messaging.RelayStatus.BrokerState;
import io.salesync.branch.service.SaleImporter;
import io.salesync.common.config.ConfigException;
import io.salesync.common.db.StorageException;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command-line entry of the branch office: {@code run} (the window, or the relay alone with --headless) and {@code import}. */
public final class BranchOfficeMain {

    private static final PrintStream out = System.out;
    private static final PrintStream err = System.err;

    private BranchOfficeMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns the process exit status: 0 done, 1 failed, 2 bad usage or configuration. */
    public static int run(String[] args) {
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("salesync: " + e.getMessage());
            err.print(CommandLine.USAGE);
            return 2;
        }
        nameLogFile(commandLine);
        try {
            // without --config, an installed branch reads SALESYNC_CONFIG_DIR, ~/.config/salesync or /etc/salesync
            BranchConfig config = BranchConfig.load(commandLine.branchId(), commandLine.config() != null ? commandLine.config()
                    : io.salesync.common.config.ConfigLocations.branchFile(commandLine.branchId()).orElse(null));
            return switch (commandLine.command()) {
                case "run" -> runRelay(config, commandLine);
                case "import" -> importFile(config, Path.of(commandLine.files().get(0)), commandLine.waitSeconds());
                default -> 2;
            };
        } catch (ConfigException e) {
            err.println("salesync: " + e.getMessage());
            return 2;
        } catch (StorageException e) {
            // a refused user, a missing database or right is the configuration's fault, as a bad value is
            err.println("salesync: " + e.getMessage());
            return e.kind().configuration() ? 2 : 1;
        }
    }

    /**
     * Tells logback.xml which file to log to ({@code ~/.salesync/logs/branch-<id>.log}), before the
     * first logger is made. An explicit {@code -Dsalesync.log.dir} or {@code -Dsalesync.log.name} wins.
     */
    private static void nameLogFile(CommandLine commandLine) {
        if (System.getProperty("salesync.log.dir") == null) {
            System.setProperty("salesync.log.dir", Path.of(System.getProperty("user.home"), ".salesync", "logs").toString());
        }
        if (System.getProperty("salesync.log.name") == null) {
            String id = commandLine.branchId() == null ? "default" : commandLine.branchId().replaceAll("[^A-Za-z0-9_-]", "_");
            System.setProperty("salesync.log.name", "branch-" + id);
        }
    }

    private static int runRelay(BranchConfig config, CommandLine commandLine) {
        if (!commandLine.headless()) {
            return runWindow(config);
        }
        Logger log = LoggerFactory.getLogger(BranchOfficeMain.class);
        log.info("Branch {} starting with configuration:\n{}", config.branchId(), config.source().describe());
        BranchOffice branch = openWaitingForDatabase(config, log);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            branch.close();
            stopped.countDown();
        }, "shutdown-branch-" + config.branchId()));
        branch.startRelay();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Opens the clerk's window with the relay in this process; returns when the window was closed. */
    private static int runWindow(BranchConfig config) {
        if (GraphicsEnvironment.isHeadless()) {
            err.println("salesync: no display for the branch office window; run with --headless to relay without a window");
            return 2;
        }
        Logger log = LoggerFactory.getLogger(BranchOfficeMain.class);
        log.info("Branch {} window starting with configuration:\n{}", config.branchId(), config.source().describe());
        CountDownLatch closed = new CountDownLatch(1);
        BranchOfficeDesktop desktop = BranchOfficeDesktop.start(config, closed::countDown);
        Thread hook = new Thread(desktop::close, "shutdown-branch-" + config.branchId());
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * The headless relay waits for a database that does not answer rather than dying, as the
     * desktop app does.
     *
     * @throws StorageException at once when the database refuses the user, lacks the schema or a
     *                          right: waiting would not help
     */
    private static BranchOffice openWaitingForDatabase(BranchConfig config, Logger log) {
        AtomicReference<BrokerState> lastState = new AtomicReference<>();
        long backoff = 1_000;
        while (true) {
            try {
                return BranchOffice.open(config, status -> {
                    if (lastState.getAndSet(status.broker()) != status.broker()) {
                        log.info("Branch {} broker state: {}{}", config.branchId(), status.broker(),
                                status.brokerDetail() == null ? "" : " (" + status.brokerDetail() + ")");
                    }
                });
            } catch (StorageException e) {
                if (e.kind().configuration()) {
                    throw e;
                }
                log.warn("{} Sales cannot be relayed until it answers; retrying in {} s.", e.getMessage(), backoff / 1000);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, 15_000);
            }
        }
    }

    private static int importFile(BranchConfig config, Path file, int waitSeconds) {
        if (!Files.isReadable(file)) {
            err.println("salesync: cannot read " + file.toAbsolutePath());
            return 1;
        }
        try (BranchOffice branch = BranchOffice.open(config, status -> { })) {
            long size = Files.size(file);
            boolean terminal = System.console() != null;
            SaleImporter.Result result;
            try (Reader reader = SaleImporter.open(file)) {
                Instant[] lastPrint = {Instant.EPOCH};
                result = new SaleImporter(branch.saleService()).importCsv(reader, (chars, imported, rejected) -> {
                    if (terminal && Duration.between(lastPrint[0], Instant.now()).toMillis() >= 500) {
                        lastPrint[0] = Instant.now();
                        err.printf("\r  %,d imported, %,d rejected (%d %%)", imported, rejected,
                                size == 0 ? 100 : Math.min(100, chars * 100 / size));
                    }
                }, () -> false);
            }
            if (terminal) {
                err.print("\r\033[K");
            }
            if (result.fileProblem() != null) {
                err.printf("salesync: cannot import %s: %s (%,d data row(s) not imported)%n", file.getFileName(),
                        result.fileProblem(), result.dataRows());
                return 1;
            }
            result.rejections().forEach(rejection -> err.println("  rejected " + rejection));
            if (!result.allListed()) {
                err.printf("  ... and %,d more rejected row(s); only the first %,d are listed%n",
                        result.rejected() - result.rejections().size(), SaleImporter.MAX_LISTED_REJECTIONS);
            }
            out.printf("Imported %,d of %,d data row(s) into branch %s from %s; %,d rejected.%n",
                    result.imported(), result.dataRows(), config.branchId(), file.getFileName(), result.rejected());
            if (result.otherRate() > 0) {
                out.printf("%,d of the imported sales carry their own tax at another rate than the branch's %s; stored as given.%n",
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
    private static void sendNow(BranchOffice branch, int waitSeconds) {
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
        out.printf("%,d change(s) wait in the outbox (%s); the branch office sends them when the broker answers.%n",
                Math.max(status.backlog(), 0), status.brokerDetail() == null ? status.broker() : status.brokerDetail());
    }
}
