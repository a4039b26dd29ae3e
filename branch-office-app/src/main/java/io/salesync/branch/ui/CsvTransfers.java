package io.salesync.branch.ui;

import io.salesync.branch.service.BranchServices;
import io.salesync.branch.service.SaleImporter;
import io.salesync.branch.service.SaleImporter.Rejection;
import io.salesync.common.csv.CsvRecordReader;
import io.salesync.common.csv.CsvRecordReader.CsvRecord;
import io.salesync.desktop.ErrorReporter;
import java.awt.Window;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JOptionPane;
import javax.swing.JProgressBar;
import javax.swing.JScrollPane;
import javax.swing.SwingWorker;
import javax.swing.filechooser.FileNameExtensionFilter;
import net.miginfocom.swing.MigLayout;

/**
 * File > Import CSV (a progress dialog with Cancel, then a summary whose rejected rows can be saved
 * to a file) and File > Export table to CSV. Files are read and written in SwingWorkers.
 */
final class CsvTransfers {

    private CsvTransfers() {}

    /** Progress as the importer reports it. */
    private record Progress(long charsRead, long imported, long rejected) {}

    static void importCsv(Window owner, BranchServices services, Runnable afterImport) {
        JFileChooser chooser = csvChooser();
        if (chooser.showOpenDialog(owner) != JFileChooser.APPROVE_OPTION) {
            return;
        }
        Path file = chooser.getSelectedFile().toPath();
        long size = file.toFile().length();

        JDialog dialog = new JDialog(owner, "Importing " + file.getFileName(), JDialog.ModalityType.APPLICATION_MODAL);
        dialog.setName("importDialog");
        JProgressBar bar = new JProgressBar(0, 1000);
        bar.setName("importProgress");
        bar.setStringPainted(true);
        JLabel counts = new JLabel("Starting\u2026");
        counts.setName("importCounts");
        JButton cancel = new JButton("Cancel");
        cancel.setName("cancelImport");
        AtomicBoolean cancelled = new AtomicBoolean();
        cancel.addActionListener(event -> {
            cancelled.set(true);
            cancel.setEnabled(false);
            counts.setText("Cancelling after the current batch\u2026");
        });
        dialog.setLayout(new MigLayout("insets 16, wrap 1", "[400:420:,grow,fill]", ""));
        dialog.add(new JLabel("Saving the sales of " + file.getFileName() + "; each one is sent to the head office."));
        dialog.add(bar);
        dialog.add(counts);
        dialog.add(cancel, "right, growx 0");
        dialog.setDefaultCloseOperation(JDialog.DO_NOTHING_ON_CLOSE);
        dialog.pack();
        dialog.setLocationRelativeTo(owner);

        SaleImporter importer = services.importer();
        SwingWorker<SaleImporter.Result, Progress> worker = new SwingWorker<>() {
            @Override
            protected SaleImporter.Result doInBackground() throws IOException {
                try (Reader reader = SaleImporter.open(file)) {
                    return importer.importCsv(
                            reader,
                            (chars, imported, rejected) -> publish(new Progress(chars, imported, rejected)),
                            cancelled::get);
                }
            }

            @Override
            protected void process(List<Progress> chunks) {
                Progress last = chunks.get(chunks.size() - 1);
                bar.setValue(size == 0 ? 1000 : (int) Math.min(1000, last.charsRead() * 1000 / size));
                if (!cancelled.get()) {
                    counts.setText(String.format("%,d imported, %,d rejected", last.imported(), last.rejected()));
                }
            }

            @Override
            protected void done() {
                dialog.dispose();
                try {
                    showSummary(owner, file, get());
                } catch (ExecutionException e) {
                    ErrorReporter.show(owner, "The import of " + file.getFileName() + " stopped", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                afterImport.run();
            }
        };
        worker.execute();
        dialog.setVisible(true);
    }

    private static void showSummary(Window owner, Path file, SaleImporter.Result result) {
        JDialog summary = new JDialog(owner, "Import of " + file.getFileName(), JDialog.ModalityType.APPLICATION_MODAL);
        summary.setName("importSummary");
        summary.setLayout(new MigLayout("insets 16, wrap 1", "[460:520:,grow,fill]", "[][][grow,fill][]"));
        String headline = result.fileProblem() != null
                ? "Nothing was imported: the file cannot be read as sales."
                : String.format(
                        "%,d sale%s imported%s.",
                        result.imported(),
                        result.imported() == 1 ? "" : "s",
                        result.cancelled() ? " before you cancelled (they stay saved)" : "");
        JLabel imported = new JLabel(headline);
        imported.setName("importedCount");
        imported.putClientProperty("FlatLaf.styleClass", "h4");
        summary.add(imported);
        if (result.fileProblem() != null) {
            WrapLabel problem = new WrapLabel("fileProblem");
            problem.setPlainText(
                    "The " + (result.fileProblem().startsWith("line 1:") ? "header, " : "") + result.fileProblem()
                            + ". The file holds " + String.format("%,d", result.dataRows()) + " data row"
                            + (result.dataRows() == 1 ? "" : "s")
                            + "; correct the header and import it again.");
            summary.add(problem, "wmin 0");
        }
        if (result.otherRate() > 0) {
            JLabel otherRate = new JLabel(String.format(
                    "%,d of them carry their own tax at another rate than this branch's" + " and were stored as given.",
                    result.otherRate()));
            otherRate.setName("otherRateCount");
            summary.add(otherRate);
        }
        List<Rejection> rejections = result.rejections();
        long rejected = result.rejected();
        JLabel rejectedLabel = new JLabel(
                result.fileProblem() != null
                        ? " "
                        : rejected == 0
                                ? "No row was rejected."
                                : String.format(
                                        "%,d row%s rejected (line number and reason%s):",
                                        rejected,
                                        rejected == 1 ? " was" : "s were",
                                        result.allListed()
                                                ? ""
                                                : String.format("; the first %,d are listed", rejections.size())));
        rejectedLabel.setName("rejectedCount");
        summary.add(rejectedLabel);
        JButton saveRejected = new JButton("Save rejected rows\u2026");
        saveRejected.setName("saveRejected");
        if (!rejections.isEmpty()) {
            JList<String> list =
                    new JList<>(rejections.stream().map(Rejection::toString).toArray(String[]::new));
            list.setName("rejections");
            list.setVisibleRowCount(Math.min(12, rejections.size()));
            summary.add(new JScrollPane(list));
            saveRejected.addActionListener(event -> saveRejectedRows(summary, file, result));
        }
        JButton close = new JButton("Close");
        close.setName("closeSummary");
        close.addActionListener(event -> summary.dispose());
        summary.add(saveRejected, "split 2, right, growx 0, hidemode 3");
        summary.add(close, "growx 0");
        saveRejected.setVisible(!rejections.isEmpty());
        summary.getRootPane().setDefaultButton(close);
        summary.pack();
        summary.setLocationRelativeTo(owner);
        summary.setVisible(true);
    }

    /**
     * Writes the rejected rows as they were in the file, with the header and a Reason column, so
     * that the clerk can correct them and import that file again. Every rejected row is written,
     * also beyond the ones whose reason was kept.
     */
    private static void saveRejectedRows(Window owner, Path source, SaleImporter.Result result) {
        JFileChooser chooser = csvChooser();
        chooser.setSelectedFile(
                source.resolveSibling(baseName(source) + "-rejected.csv").toFile());
        if (chooser.showSaveDialog(owner) != JFileChooser.APPROVE_OPTION) {
            return;
        }
        Path target = chooser.getSelectedFile().toPath();
        Map<Long, String> reasons = new HashMap<>();
        result.rejections().forEach(rejection -> reasons.put(rejection.line(), rejection.reason()));
        String unlisted = String.format(
                "rejected; the reason was not kept (only the first %,d are): importing this file" + " shows it",
                SaleImporter.MAX_LISTED_REJECTIONS);
        new SwingWorker<Integer, Void>() {
            @Override
            protected Integer doInBackground() throws IOException {
                int written = 0;
                try (Reader reader = SaleImporter.open(source);
                        CsvRecordReader records = new CsvRecordReader(reader, ',');
                        Writer out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                    CsvRecord header = records.next();
                    List<String> headerFields =
                            header != null && header.ok() ? new ArrayList<>(header.fields()) : new ArrayList<>();
                    headerFields.add("Reason");
                    writeLine(out, headerFields);
                    for (CsvRecord record = records.next(); record != null; record = records.next()) {
                        if (result.wasRejected(record.line())) {
                            List<String> fields = record.ok() ? new ArrayList<>(record.fields()) : new ArrayList<>();
                            fields.add("line " + record.line() + ": " + reasons.getOrDefault(record.line(), unlisted));
                            writeLine(out, fields);
                            written++;
                        }
                    }
                }
                return written;
            }

            @Override
            protected void done() {
                try {
                    JOptionPane.showMessageDialog(
                            owner,
                            String.format("%,d rejected row(s) saved to %s.", get(), target),
                            "Rejected rows saved",
                            JOptionPane.INFORMATION_MESSAGE);
                } catch (ExecutionException e) {
                    ErrorReporter.show(owner, "The rejected rows were not saved", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }.execute();
    }

    /** Writes the rows as shown in the table (filtered and sorted) to a CSV file the clerk picks. */
    static void exportTable(Window owner, String[] header, List<List<String>> rows, Consumer<String> report) {
        JFileChooser chooser = csvChooser();
        chooser.setSelectedFile(new File("sales.csv"));
        if (chooser.showSaveDialog(owner) != JFileChooser.APPROVE_OPTION) {
            return;
        }
        Path target = chooser.getSelectedFile().toPath();
        new SwingWorker<Void, Void>() {
            @Override
            protected Void doInBackground() throws IOException {
                try (Writer out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                    writeLine(out, List.of(header));
                    for (List<String> row : rows) {
                        writeLine(out, row);
                    }
                }
                return null;
            }

            @Override
            protected void done() {
                try {
                    get();
                    report.accept(String.format(
                            "Exported %,d row%s to %s", rows.size(), rows.size() == 1 ? "" : "s", target));
                } catch (ExecutionException e) {
                    ErrorReporter.show(owner, "The table was not exported", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }.execute();
    }

    /** One CSV line: fields with a comma, quote or line break are quoted, quotes doubled. */
    static void writeLine(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String field = fields.get(i) == null ? "" : fields.get(i);
            if (field.indexOf(',') >= 0
                    || field.indexOf('"') >= 0
                    || field.indexOf('\n') >= 0
                    || field.indexOf('\r') >= 0) {
                out.write('"');
                out.write(field.replace("\"", "\"\""));
                out.write('"');
            } else {
                out.write(field);
            }
        }
        out.write("\r\n");
    }

    private static JFileChooser csvChooser() {
        JFileChooser chooser = new JFileChooser();
        chooser.setFileFilter(new FileNameExtensionFilter("CSV files", "csv"));
        return chooser;
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
