package io.salesync.it.fault;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One salesync application as a real operating-system process ({@code java -cp <test class path>
 * <main class> ...}), started again as often as a scenario wants, with every start's output appended
 * to one log file (each start and kill is marked in it).
 */
final class ChildProcess {

    private static final List<String> JVM_OPTIONS =
            List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dsalesync.log.level=INFO");

    private final String name;
    private final Class<?> mainClass;
    private final List<String> arguments;
    private final Path logFile;
    private Process process;
    private long logOffset;
    private int starts;

    ChildProcess(String name, Class<?> mainClass, List<String> arguments, Path logFile) {
        this.name = name;
        this.mainClass = mainClass;
        this.arguments = List.copyOf(arguments);
        this.logFile = logFile;
    }

    String name() {
        return name;
    }

    Path logFile() {
        return logFile;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** Starts the process; {@link #awaitLog} then waits for what it prints. */
    synchronized ChildProcess start() {
        if (alive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-Dsalesync.log.dir=" + logFile.getParent());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(arguments);
        mark("start #" + ++starts);
        try {
            logOffset = Files.size(logFile);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        return this;
    }

    /**
     * Appends the threads of the running process to its log ({@code jcmd <pid> Thread.print}), to
     * see where it stands when a run did not converge. Does nothing when it is not running.
     */
    synchronized void dumpThreads() {
        if (!alive()) {
            return;
        }
        mark("thread dump (pid " + process.pid() + ")");
        try {
            Process jcmd = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            String.valueOf(process.pid()),
                            "Thread.print")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
            }
        } catch (IOException e) {
            mark("no thread dump: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The operating system's id of the running process. */
    synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    /** SIGSTOP: the process stands still, its sockets and database sessions open, until {@link #resume}. */
    synchronized void freeze() {
        signal("STOP");
        mark("frozen with SIGSTOP (pid " + process.pid() + ")");
    }

    /** SIGCONT: a frozen process runs on from where it stood. */
    synchronized void resume() {
        signal("CONT");
        mark("resumed with SIGCONT (pid " + process.pid() + ")");
    }

    /** The lines the process wrote after the last mark containing {@code event}. */
    List<String> linesAfter(String event) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            int from = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("==== ") && lines.get(i).contains(event)) {
                    from = i + 1;
                }
            }
            return lines.subList(from, lines.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or released by the process itself. */
    synchronized long kill() {
        long pid = process.pid();
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
        mark("killed with SIGKILL (pid " + pid + ")");
        return pid;
    }

    /** SIGTERM, as an operator stops it: the shutdown hook runs; killed if it takes over 20 s. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + name, e);
        }
        mark("stopped with SIGTERM");
    }

    /** Waits until the current start has printed {@code text}; fails with the end of the log. */
    void awaitLog(String text, Duration timeout) {
        try {
            await().atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> sinceStart().contains(text) || !alive());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    name + " did not log '" + text + "' within " + timeout.toSeconds() + " s; end of " + logFile + ":\n"
                            + tail(),
                    e);
        }
        if (!sinceStart().contains(text)) {
            throw new AssertionError(
                    name + " exited before logging '" + text + "'; end of " + logFile + ":\n" + tail());
        }
    }

    /** Whether the current start has printed {@code text}. */
    boolean logged(String text) {
        return sinceStart().contains(text);
    }

    /** The last 30 lines of the log. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    private String sinceStart() {
        byte[] all;
        try {
            all = Files.readAllBytes(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int from = (int) Math.min(logOffset, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    private void mark(String event) {
        try {
            Files.writeString(
                    logFile,
                    "==== " + LocalTime.now() + " fault suite: " + name + " " + event + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
