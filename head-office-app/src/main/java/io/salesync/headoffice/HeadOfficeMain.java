package io.salesync.headoffice;

import io.salesync.common.config.ConfigException;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StorageException;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.service.SyncStatus;
import io.salesync.headoffice.service.SyncStatus.BranchReport;
import java.awt.GraphicsEnvironment;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command-line entry of the head office: {@code run} (the window and the consumer, or the consumer alone with --headless) and {@code status}. */
public final class HeadOfficeMain {

    static final String USAGE = """
            usage: head-office run [--config FILE] [--headless]
                   head-office status [--config FILE] [--config-dir DIR]
            """;

    private static final PrintStream out = System.out;
    private static final PrintStream err = System.err;

    private HeadOfficeMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns the exit status: 0 done (status: every branch matched), 1 failed or not matched, 2 usage. */
    public static int run(String[] args) {
        if (args.length == 0 || !(args[0].equals("run") || args[0].equals("status"))) {
            err.print(USAGE);
            return 2;
        }
        Path config = null;
        Path configDir = null;
        boolean headless = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "--config-dir" -> {
                    if (i + 1 >= args.length) {
                        err.println("salesync: " + args[i] + " needs a value");
                        return 2;
                    }
                    if (args[i].equals("--config")) {
                        config = Path.of(args[++i]);
                    } else {
                        configDir = Path.of(args[++i]);
                    }
                }
                case "--headless" -> headless = true;
                default -> {
                    err.println("salesync: unknown argument " + args[i]);
                    err.print(USAGE);
                    return 2;
                }
            }
        }
        if (args[0].equals("run") && !headless && System.getProperty("salesync.log.appender") == null) {
            // before the first logger is made: the window also logs to ~/.salesync/logs/head-office.log
            System.setProperty("salesync.log.appender", "FILE");
        }
        try {
            HeadOfficeConfig headOfficeConfig = HeadOfficeConfig.load(config);
            if (args[0].equals("status")) {
                Path directory = configDir != null ? configDir
                        : config != null && config.toAbsolutePath().getParent() != null ? config.toAbsolutePath().getParent() : Path.of("config");
                return status(headOfficeConfig, directory);
            }
            if (!headless) {
                if (GraphicsEnvironment.isHeadless()) {
                    err.println("salesync: no display for the head office window; run with --headless to consume without a window");
                    return 2;
                }
                return HeadOfficeDesktop.run(headOfficeConfig);
            }
            return runConsumer(headOfficeConfig);
        } catch (ConfigException e) {
            err.println("salesync: " + e.getMessage());
            return 2;
        } catch (StorageException e) {
            err.println("salesync: " + e.getMessage());
            return 1;
        }
    }

    private static int runConsumer(HeadOfficeConfig config) {
        Logger log = LoggerFactory.getLogger(HeadOfficeMain.class);
        log.info("Head office starting with configuration:\n{}", config.source().describe());
        AtomicReference<String> lastState = new AtomicReference<>("");
        HeadOffice headOffice = openWaitingForDatabase(config, log, status -> {
            String state = status.brokerConnected() ? "consuming" : "not consuming: " + status.brokerDetail();
            if (status.databaseProblem() != null) {
                state += "; " + status.databaseProblem();
            }
            if (!state.equals(lastState.getAndSet(state))) {
                log.info("Head office {}", state);
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            headOffice.close();
            stopped.countDown();
        }, "shutdown-head-office"));
        headOffice.startConsumer();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static HeadOffice openWaitingForDatabase(HeadOfficeConfig config, Logger log,
                                                     java.util.function.Consumer<io.salesync.headoffice.service.ConsumerStatus> listener) {
        long backoff = 1_000;
        while (true) {
            try {
                return HeadOffice.open(config, listener);
            } catch (StorageException e) {
                log.warn("{} Messages stay queued at the broker; retrying in {} s.", e.getMessage(), backoff / 1000);
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

    private static int status(HeadOfficeConfig config, Path configDirectory) {
        try (HeadOffice headOffice = HeadOffice.open(config, status -> { })) {
            List<BranchReport> reports = new SyncStatus(headOffice.repository()).report(configDirectory);
            if (reports.isEmpty()) {
                err.println("salesync: no branch configuration files (branch-<id>.properties) in " + configDirectory.toAbsolutePath());
                return 1;
            }
            out.printf("%-8s %12s %12s %10s %10s %10s  %s%n", "BRANCH", "AT BRANCH", "AT HO", "BACKLOG", "LAST SEQ", "APPLIED", "STATE");
            for (BranchReport report : reports) {
                out.printf("%-8s %12s %12s %10s %10s %10d  %s%n", report.branchId(),
                        report.atBranch() == null ? "?" : String.valueOf(report.atBranch().liveRows()),
                        report.atHeadOffice().liveRows(),
                        report.backlog() < 0 ? "?" : String.valueOf(report.backlog()),
                        report.branchLastSeq() < 0 ? "?" : String.valueOf(report.branchLastSeq()),
                        report.appliedSeq(), report.verdict() + (report.problem() == null ? "" : ": " + report.problem()));
            }
            return reports.stream().allMatch(BranchReport::matched) ? 0 : 1;
        } catch (SQLException e) {
            err.println("salesync: " + Databases.unreachableMessage(config.database(), e));
            return 1;
        }
    }
}
