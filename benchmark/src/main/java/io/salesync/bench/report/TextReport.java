package io.salesync.bench.report;

import io.salesync.bench.report.Figures.Machine;
import io.salesync.bench.report.Figures.Target;
import java.io.PrintStream;
import java.util.Locale;

/** The figures as a table on the terminal. */
public final class TextReport {

    private static final int WIDTH = 62;

    private TextReport() {}

    public static void print(Figures figures, PrintStream out) {
        Machine machine = figures.machine();
        out.println();
        out.printf(
                Locale.ROOT,
                "salesync bench \"%s\", %s, %.0f s%n",
                figures.label(),
                figures.startedAt(),
                figures.seconds());
        out.printf(
                Locale.ROOT,
                "%d cores (%s), %,d MiB, %s; MySQL %s (buffer pool %d MiB, flush at commit %s); RabbitMQ %s;"
                        + " load average %.2f at the start%n",
                machine.cores(),
                machine.cpu(),
                machine.memoryMib(),
                machine.java(),
                machine.mysql(),
                machine.innodbBufferPoolMib(),
                machine.innodbFlushLogAtTrxCommit(),
                machine.rabbitmq(),
                machine.loadAverageAtStart());
        out.println(figures.command());
        for (Lines.Section section : Lines.of(figures)) {
            out.println();
            out.println(section.title());
            for (Lines.Line line : section.lines()) {
                out.printf(Locale.ROOT, "  %-" + WIDTH + "s %s%n", line.what(), line.value());
            }
        }
        if (!figures.targets().isEmpty()) {
            out.println();
            out.println("Targets");
            for (Target target : figures.targets()) {
                out.printf(
                        Locale.ROOT,
                        "  %-4s %-" + (WIDTH - 3) + "s %s (goal: %s)%n",
                        target.met() ? "MET" : "MISS",
                        target.name(),
                        target.measured(),
                        target.goal());
            }
        }
        for (String note : figures.notes()) {
            out.println("note: " + note);
        }
    }
}
