package io.salesync.headoffice.service;

import io.salesync.common.EventThreadGuard;
import io.salesync.headoffice.model.SaleRow;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.model.SalesSort;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Writes the rows of a filter as CSV (RFC 4180, header {@code Branch,Date,Region,Product,Qty,Cost,
 * Amt,Tax,Total}), streaming them from the database in keyset pages so that a million rows never sit
 * in memory. A text cell that a spreadsheet would run as a formula (it starts with = + - or @) is
 * written with a leading apostrophe.
 */
public final class SalesExporter {

    static final int PAGE = 5_000;

    private final SalesBrowser browser;

    public SalesExporter(SalesBrowser browser) {
        this.browser = browser;
    }

    /**
     * @param progress  told the number of rows written so far after each page
     * @param cancelled checked between pages; the export stops early when it says true
     * @return rows written
     */
    public long export(SalesFilter filter, SalesSort sort, Writer out, LongConsumer progress, BooleanSupplier cancelled)
            throws IOException {
        EventThreadGuard.requireOffEventThread("exporting sales");
        out.write("Branch,Date,Region,Product,Qty,Cost,Amt,Tax,Total\r\n");
        long written = 0;
        SaleRow last = null;
        while (!cancelled.getAsBoolean()) {
            List<SaleRow> rows = browser.pageAfter(filter, sort, last, PAGE);
            for (SaleRow row : rows) {
                out.write(line(row));
            }
            written += rows.size();
            progress.accept(written);
            if (rows.size() < PAGE) {
                break;
            }
            last = rows.get(rows.size() - 1);
        }
        out.flush();
        return written;
    }

    static String line(SaleRow row) {
        return text(row.branchId()) + ',' + row.date() + ',' + text(row.region()) + ',' + text(row.product()) + ','
                + row.qty() + ',' + row.cost().toPlainString() + ',' + row.amt().toPlainString() + ','
                + row.tax().toPlainString() + ',' + row.total().toPlainString() + "\r\n";
    }

    static String text(String value) {
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }
}
