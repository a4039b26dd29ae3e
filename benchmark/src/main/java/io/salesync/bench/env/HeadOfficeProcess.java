package io.salesync.bench.env;

import io.salesync.headoffice.HeadOfficeMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real head office ({@code head-office run --headless}) as a child JVM of its own, so that its
 * heap and resident memory are its own: started with a generated configuration file, a heap limit
 * and a GC log, stopped with SIGTERM as an operator would.
 *
 * <p>It runs the head-office jar named by the system property {@value #JAR_PROPERTY} (the launcher
 * sets it), otherwise {@link HeadOfficeMain} from this JVM's class path (the tests).
 */
public final class HeadOfficeProcess implements AutoCloseable {

    public static final String JAR_PROPERTY = "salesync.bench.ho-jar";
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\) ([\\d.]+)ms");

    private final Path directory;
    private final Process process;
    private final long startedNanos;
    private final String heap;

    private HeadOfficeProcess(Path directory, Process process, long startedNanos, String heap) {
        this.directory = directory;
        this.process = process;
        this.startedNanos = startedNanos;
        this.heap = heap;
    }

    /**
     * Writes {@code head-office.properties} (without passwords: those go in the child's environment)
     * into {@code directory} and starts the head office.
     */
    public static HeadOfficeProcess start(
            Path directory, Map<String, String> settings, String heap, List<String> javaOptions) throws IOException {
        Files.createDirectories(directory);
        Path config = directory.resolve("head-office.properties");
        Properties properties = new Properties();
        settings.forEach((key, value) -> {
            if (!key.endsWith("password")) {
                properties.setProperty(key, value);
            }
        });
        try (var out = Files.newBufferedWriter(config)) {
            properties.store(out, "written by ./salesync bench; passwords are passed in the environment");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-Xlog:gc:file=" + directory.resolve("head-office-gc.log"));
        command.add("-Dsalesync.log.level=INFO");
        command.addAll(javaOptions);
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar != null && !jar.isBlank()) {
            command.add("-jar");
            command.add(jar);
        } else {
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(HeadOfficeMain.class.getName());
        }
        command.addAll(List.of("run", "--headless", "--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        directory.resolve("head-office.log").toFile()));
        // Only the generated file speaks: no SALESYNC_* variable of the caller's shell reaches the child.
        builder.environment().keySet().removeIf(name -> name.startsWith("SALESYNC_"));
        putSecret(builder, settings, "salesync.db.password", "SALESYNC_DB_PASSWORD");
        putSecret(builder, settings, "salesync.broker.password", "SALESYNC_BROKER_PASSWORD");
        long started = System.nanoTime();
        return new HeadOfficeProcess(directory, builder.start(), started, heap);
    }

    private static void putSecret(ProcessBuilder builder, Map<String, String> settings, String key, String variable) {
        String value = settings.get(key);
        if (value != null && !value.isEmpty()) {
            builder.environment().put(variable, value);
        }
    }

    public long pid() {
        return process.pid();
    }

    public long startedNanos() {
        return startedNanos;
    }

    public String heap() {
        return heap;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Fails with the end of the head office's log when it has died. */
    public void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the head office process exited with status " + process.exitValue()
                    + "; the end of its log " + directory.resolve("head-office.log") + ":\n" + logTail(20));
        }
    }

    /** Number of lines in the GC log so far: marks the start of a window for {@link #gcSince}. */
    public int gcLogLines() {
        try {
            return Files.readAllLines(directory.resolve("head-office-gc.log")).size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Heap figures of the collections logged after line {@code fromLine}. */
    public GcFigures gcSince(int fromLine) {
        List<String> lines;
        try {
            lines = Files.readAllLines(directory.resolve("head-office-gc.log"));
        } catch (IOException e) {
            return new GcFigures(0, -1, -1, -1, 0);
        }
        return parseGcLog(lines.subList(Math.min(fromLine, lines.size()), lines.size()));
    }

    /** Reads the pauses of a unified GC log ({@code -Xlog:gc}): {@code ... Pause Young ... 150M->20M(256M) 3.215ms}. */
    public static GcFigures parseGcLog(List<String> lines) {
        int collections = 0;
        long maxAfter = -1;
        long maxBefore = -1;
        long maxCommitted = -1;
        double pauses = 0;
        for (String line : lines) {
            Matcher matcher = GC_LINE.matcher(line);
            if (matcher.find() && line.contains("Pause")) {
                collections++;
                maxBefore = Math.max(maxBefore, Long.parseLong(matcher.group(1)));
                maxAfter = Math.max(maxAfter, Long.parseLong(matcher.group(2)));
                maxCommitted = Math.max(maxCommitted, Long.parseLong(matcher.group(3)));
                pauses += Double.parseDouble(matcher.group(4));
            }
        }
        return new GcFigures(collections, maxAfter, maxBefore, maxCommitted, Math.round(pauses * 10) / 10.0);
    }

    /**
     * What the garbage collector saw: the largest heap left after a collection (what the head office
     * really holds), the largest heap just before one (the most it ever used), the most the JVM took
     * from the system for the heap, in MiB, and the total pause time.
     */
    public record GcFigures(
            int collections, long maxAfterGcMib, long maxBeforeGcMib, long maxCommittedMib, double pausesMs) {}

    /** True when the log mentions an OutOfMemoryError. */
    public boolean ranOutOfMemory() {
        return logTail(Integer.MAX_VALUE).contains("OutOfMemoryError");
    }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(directory.resolve("head-office.log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, as an operator stops it; SIGKILL if it has not stopped within 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
