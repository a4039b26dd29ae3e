package io.salesync.headoffice.ui;

import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.model.SalesSort;
import io.salesync.headoffice.service.SalesExporter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import javax.swing.JProgressBar;
import javax.swing.SwingWorker;

/**
 * Writes the filtered rows to a CSV file in the background, showing progress. The file appears only
 * when complete (written beside it first, then moved into place).
 */
final class CsvExportWorker extends SwingWorker<Long, Long> {

    private final SalesExporter exporter;
    private final SalesFilter filter;
    private final SalesSort sort;
    private final long expected;
    private final Path file;
    private final JProgressBar progress;
    private final Consumer<String> message;
    private final Consumer<Throwable> failed;

    CsvExportWorker(
            SalesExporter exporter,
            SalesFilter filter,
            SalesSort sort,
            long expected,
            Path file,
            JProgressBar progress,
            Consumer<String> message,
            Consumer<Throwable> failed) {
        this.exporter = exporter;
        this.filter = filter;
        this.sort = sort;
        this.expected = expected;
        this.file = file;
        this.progress = progress;
        this.message = message;
        this.failed = failed;
        progress.setValue(0);
        progress.setString("0 %");
        progress.setVisible(true);
        message.accept("Exporting " + Formats.count(expected) + " rows to " + file.getFileName() + "...");
    }

    @Override
    protected Long doInBackground() throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        long written;
        try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            written = exporter.export(filter, sort, out, this::publish, this::isCancelled);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        return written;
    }

    @Override
    protected void process(List<Long> chunks) {
        long done = chunks.get(chunks.size() - 1);
        int percent = expected <= 0 ? 100 : (int) Math.min(100, done * 100 / expected);
        progress.setValue(percent);
        progress.setString(percent + " %");
    }

    @Override
    protected void done() {
        progress.setVisible(false);
        try {
            message.accept("Exported " + Formats.count(get()) + " rows to " + file);
        } catch (ExecutionException e) {
            message.accept("Export failed.");
            failed.accept(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
