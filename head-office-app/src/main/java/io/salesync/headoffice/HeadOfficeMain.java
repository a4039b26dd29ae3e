package io.salesync.headoffice;

import io.salesync.common.config.ConfigException;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StorageException;
import io.salesync.common.event.BranchCommand;
import io.salesync.common.sale.SaleValidator;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.model.HeadOfficeProcess;
import io.salesync.headoffice.model.Verification;
import io.salesync.headoffice.service.BranchRequests;
import io.salesync.headoffice.service.ConsumerStatus;
import io.salesync.headoffice.service.SyncStatus.BranchReport;
import io.salesync.headoffice.service.SyncStatus;
import java.awt.GraphicsEnvironment;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry of the head office: {@code run} (the window and the consumer, or the consumer
 * alone with --headless), {@code status}, and {@code resync} / {@code checkpoint}, which ask a
 * branch to resend everything or to state its figures now.
 */
public final class HeadOfficeMain {

    static final String USAGE = """
            usage: head-office run [--config FILE] [--headless]
                   head-office status [--config FILE] [--config-dir DIR]
                   head-office resync --branch ID [--config FILE]
                   head-office checkpoint --branch ID [--config FILE]
            """;

    private static final Set<String> COMMANDS = Set.of("run", "status", "resync", "checkpoint");

    private static final PrintStream out = System.out;
    private static final PrintStream err = System.err;

    private HeadOfficeMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns the exit status: 0 done (status: every branch matched), 1 failed or not matched, 2 usage. */
    public static int run(String[] args) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            err.print(USAGE);
            return 2;
        }
        Path config = null;
        Path configDir = null;
        String branch = null;
        boolean headless = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "--config-dir", "--branch" -> {
                    if (i + 1 >= args.length) {
                        err.println("salesync: " + args[i] + " needs a value");
                        return 2;
                    }
                    if (args[i].equals("--config")) {
                        config = Path.of(args[++i]);
                    } else if (args[i].equals("--branch")) {
                        branch = args[++i];
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
        if (config == null) {
            // an installed head office reads SALESYNC_CONFIG_DIR, ~/.config/salesync or /etc/salesync
            config = io.salesync.common.config.ConfigLocations.find(io.salesync.common.config.ConfigLocations.HEAD_OFFICE_FILE).orElse(null);
        }
        try {
            HeadOfficeConfig headOfficeConfig = HeadOfficeConfig.load(config);
            if (args[0].equals("resync") || args[0].equals("checkpoint")) {
                if (branch == null) {
                    err.println("salesync: " + args[0] + " needs --branch ID");
                    return 2;
                }
                return request(headOfficeConfig, branch, args[0].equals("resync")
                        ? BranchCommand.Action.RESYNC : BranchCommand.Action.CHECKPOINT);
            }
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
            // a refused user, a missing database or right is the configuration's fault, as a bad value is
            err.println("salesync: " + e.getMessage());
            return e.kind().configuration() ? 2 : 1;
        }
    }

    private static int runConsumer(HeadOfficeConfig config) {
        Logger log = LoggerFactory.getLogger(HeadOfficeMain.class);
        log.info("Head office starting with configuration:\n{}", config.source().describe());
        AtomicReference<String> lastState = new AtomicReference<>("");
        HeadOffice headOffice = openWaitingForDatabase(config, log, status -> {
            String state = status.consuming() ? "consuming"
                    : status.brokerConnected() ? "standing by: another head-office process consumes the queue"
                    : "not consuming: " + status.brokerDetail();
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

    /**
     * Opens the head office, waiting for a database that does not answer (an outage: messages stay
     * queued, nothing is consumed meanwhile).
     *
     * @throws StorageException at once when the database refuses the user, lacks the schema or a
     *                          right: waiting would not help, and saying "consuming" would mislead
     */
    private static HeadOffice openWaitingForDatabase(HeadOfficeConfig config, Logger log,
                                                     Consumer<ConsumerStatus> listener) {
        long backoff = 1_000;
        while (true) {
            try {
                return HeadOffice.open(config, listener);
            } catch (StorageException e) {
                if (e.kind().configuration()) {
                    throw e;
                }
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

    private static int request(HeadOfficeConfig config, String branch, BranchCommand.Action action) {
        if (!SaleValidator.isValidBranchId(branch)) {
            err.println("salesync: '" + branch + "' is not a branch id (lower-case letters, digits, '-' or '_')");
            return 2;
        }
        try (HeadOffice headOffice = HeadOffice.open(config, status -> { })) {
            BranchCommand command = BranchCommand.of(branch, action, Instant.now(),
                    "operator " + System.getProperty("user.name", "?"));
            headOffice.requests().send(command);
            out.println("Asked branch " + branch + " to " + action.wireName() + " (request " + command.requestId() + ").");
            out.println(action == BranchCommand.Action.RESYNC
                    ? "The branch resends every sale when it next runs; follow it with ./salesync status."
                    : "The branch sends its figures when it next runs; ./salesync status shows the verdict.");
            return 0;
        } catch (BranchRequests.RequestException e) {
            err.println("salesync: " + e.getMessage());
            return 1;
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
            printVerification(headOffice.verification().verifications(), config.gapReportAfter());
            Instant now = Instant.now();
            out.println();
            out.println("Head office: " + HeadOfficeProcess.summary(
                    headOffice.processes().seenSince(now.minus(HeadOfficeProcess.SEEN_WITHIN)), now));
            return reports.stream().allMatch(BranchReport::matched) ? 0 : 1;
        } catch (SQLException e) {
            err.println("salesync: " + Databases.unreachableMessage(config.database(), e));
            return 1;
        }
    }

    /** What the head office itself knows: gaps, the latest checkpoint verdict, the latest resync. */
    private static void printVerification(List<Verification> verifications, Duration gapReportAfter) {
        if (verifications.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(ZoneId.systemDefault());
        out.println();
        out.printf("%-8s %10s  %-40s  %s%n", "BRANCH", "COMPLETE TO", "CHECKPOINT", "GAP / RESYNC");
        for (Verification v : verifications) {
            Verification.Checkpoint c = v.checkpoint();
            String checkpoint = c == null ? "none yet"
                    : "no. " + c.seq() + " of " + time.format(c.takenAt()) + " " + (c.matched() ? "matched" : "DIVERGED");
            StringBuilder notes = new StringBuilder();
            if (v.hasGap()) {
                notes.append(v.gapReported(now, gapReportAfter) ? "GAP: " : "waiting: ").append("changes from no. ")
                        .append(v.firstMissing()).append(" missing since ").append(time.format(v.gapSince()));
            }
            Verification.Resync r = v.resync();
            if (r != null) {
                if (!notes.isEmpty()) {
                    notes.append("; ");
                }
                notes.append(r.running() ? "resync running " + r.percent() + "% (" + r.applied() + " of " + r.rows() + ")"
                        : "last resync " + time.format(r.finishedAt()) + ", " + r.removed() + " row(s) removed");
            }
            out.printf("%-8s %10d  %-40s  %s%n", v.branchId(), v.contiguousSeq(), checkpoint, notes.isEmpty() ? "-" : notes);
            if (c != null && !c.matched()) {
                out.printf("%-8s %10s  %s%n", "", "", c.verdict());
            }
        }
    }
}
