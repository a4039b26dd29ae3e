package io.salesync.branch.cli;

import io.salesync.branch.BranchOffice;
import io.salesync.branch.BranchOfficeDesktop;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.messaging.RelayStatus.BrokerState;
import io.salesync.common.db.OpenRetry;
import java.awt.GraphicsEnvironment;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code run}: the clerk's window with the outbox relay, or the relay alone with {@code --headless}. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Opens the clerk's window and relays the branch's changes (--headless: relays only).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    BranchOptions branch;

    @Option(names = "--headless", description = "relay without a window, for a server or a till without a screen")
    boolean headless;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        branch.nameLogFile();
        BranchConfig config = branch.load();
        return headless ? relay(config) : window(config);
    }

    /** Opens the clerk's window with the relay in this process; returns when the window was closed. */
    private int window(BranchConfig config) throws InterruptedException {
        if (GraphicsEnvironment.isHeadless()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "no display for the branch office window; run with --headless to relay without a window");
        }
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        log.info(
                "Branch {} window starting with configuration:\n{}",
                config.branchId(),
                config.source().describe());
        CountDownLatch closed = new CountDownLatch(1);
        BranchOfficeDesktop desktop = BranchOfficeDesktop.start(config, closed::countDown);
        Runtime.getRuntime().addShutdownHook(new Thread(desktop::close, "shutdown-branch-" + config.branchId()));
        closed.await();
        return 0;
    }

    /**
     * The relay alone, until the process is stopped. A database that does not answer is waited for,
     * as the window does; one that refuses the user, lacks the schema or a right stops it at once:
     * waiting would not help.
     */
    private static int relay(BranchConfig config) throws InterruptedException {
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        log.info(
                "Branch {} starting with configuration:\n{}",
                config.branchId(),
                config.source().describe());
        AtomicReference<BrokerState> lastState = new AtomicReference<>();
        BranchOffice office = OpenRetry.open(
                () -> BranchOffice.open(config, status -> {
                    if (lastState.getAndSet(status.broker()) != status.broker()) {
                        log.info(
                                "Branch {} broker state: {}{}",
                                config.branchId(),
                                status.broker(),
                                status.brokerDetail() == null ? "" : " (" + status.brokerDetail() + ")");
                    }
                }),
                failure -> failure.kind().configuration(),
                (failure, next) -> log.warn(
                        "{} Sales cannot be relayed until it answers; retrying in {} s.",
                        failure.getMessage(),
                        next.toSeconds()),
                () -> true);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            office.close();
                            stopped.countDown();
                        },
                        "shutdown-branch-" + config.branchId()));
        office.startRelay();
        stopped.await();
        return 0;
    }
}
