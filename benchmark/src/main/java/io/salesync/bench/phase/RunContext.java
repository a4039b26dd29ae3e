package io.salesync.bench.phase;

import io.salesync.bench.BenchOptions;
import io.salesync.bench.Services;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What every phase needs: the services, the options, a directory for the run's files (head office
 * logs and configuration), where to say what is happening, and notes for the report.
 *
 * @param serverPids the processes whose CPU and memory are reported (this JVM, MySQL, RabbitMQ)
 */
public record RunContext(Services services, BenchOptions options, Path directory, Consumer<String> say,
                         Map<String, Long> serverPids, List<String> notes) {
}
