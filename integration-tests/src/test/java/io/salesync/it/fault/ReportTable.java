package io.salesync.it.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of runs both suites print and write: fixed-width text for the test's output, Markdown
 * for the report file. Numbers are right-aligned; the second column (the scenario's name) and the
 * last (the verdict) are left-aligned.
 */
final class ReportTable {

    private ReportTable() {}

    /** The header and the rows, in columns as wide as their widest cell. */
    static String text(String[] header, List<String[]> rows) {
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.length];
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                String format = i == 1 || i == header.length - 1 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
                text.append(String.format(Locale.ROOT, format, row[i])).append(i + 1 < row.length ? "  " : "\n");
            }
        }
        return text.toString();
    }

    /** The header and the rows as a Markdown table. */
    static String markdown(String[] header, List<String[]> rows) {
        StringBuilder md = new StringBuilder();
        md.append("| ").append(String.join(" | ", header)).append(" |\n");
        md.append("|").append(" --- |".repeat(header.length)).append('\n');
        for (String[] row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return md.toString();
    }
}
