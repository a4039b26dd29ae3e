package io.salesync.headoffice.cli;

import io.salesync.common.db.OpenRetry;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.HeadOfficeDesktop;
import io.salesync.headoffice.config.HeadOfficeConfig;
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

/**
 * {@code run}: the manager's window with the consumer, the consumer alone with {@code --headless},
 * or a window that only reads the database with {@code --view}.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Opens the manager's window and consumes the branches' changes (--headless: consumes only;"
                + " --view: a window that only reads the database).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--headless", description = "consume without a window, for a server")
    boolean headless;

    @Option(
            names = "--view",
            description = "a manager's window that only reads the head office's database: no consumer,"
                    + " no broker (default configuration: head-office-view.properties, else head-office.properties)")
    boolean view;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (view && headless) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--view opens a window that only reads; --headless consumes"
                            + " without a window: use one or the other");
        }
        HeadOfficeConfig loaded = view ? config.loadViewOnly() : config.load();
        if (!headless) {
            if (GraphicsEnvironment.isHeadless()) {
                throw new ParameterException(
                        spec.commandLine(),
                        loaded.viewOnly()
                                ? "no display for the view-only window"
                                : "no display for the head office window; run with --headless to consume without a window");
            }
            if (System.getProperty("salesync.log.appender") == null) {
                // before the first logger is made: the window also logs to ~/.salesync/logs/head-office.log
                // (a view-only window to head-office-view.log, so that both can run on one desk)
                System.setProperty("salesync.log.appender", "FILE");
                System.setProperty("salesync.log.name", loaded.viewOnly() ? "head-office-view" : "head-office");
            }
            return HeadOfficeDesktop.run(loaded);
        }
        if (loaded.viewOnly()) {
            throw new ParameterException(
                    spec.commandLine(),
                    HeadOfficeConfig.VIEW_ONLY + "=true is for a window that only"
                            + " reads; --headless consumes: set it to false, or run without --headless");
        }
        return consume(loaded);
    }

    /**
     * The consumer alone, until the process is stopped. The database is waited for while it does not
     * answer (messages stay queued, nothing is consumed meanwhile); a refused user, a missing schema
     * or right stops it at once: waiting would not help, and saying "consuming" would mislead.
     */
    private static int consume(HeadOfficeConfig config) throws InterruptedException {
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        log.info("Head office starting with configuration:\n{}", config.source().describe());
        AtomicReference<String> lastState = new AtomicReference<>("");
        HeadOffice headOffice = OpenRetry.open(
                () -> HeadOffice.open(config, status -> {
                    String state = status.consuming()
                            ? "consuming"
                            : status.brokerConnected()
                                    ? "standing by: another head-office process consumes the queue"
                                    : "not consuming: " + status.brokerDetail();
                    if (status.databaseProblem() != null) {
                        state += "; " + status.databaseProblem();
                    }
                    if (!state.equals(lastState.getAndSet(state))) {
                        log.info("Head office {}", state);
                    }
                }),
                failure -> failure.kind().configuration(),
                (failure, next) -> log.warn(
                        "{} Messages stay queued at the broker; retrying in {} s.",
                        failure.getMessage(),
                        next.toSeconds()),
                () -> true);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            headOffice.close();
                            stopped.countDown();
                        },
                        "shutdown-head-office"));
        headOffice.startConsumer();
        stopped.await();
        return 0;
    }
}
