package io.salesync.branch.service;

import io.salesync.branch.persistence.SaleRepository;
import io.salesync.branch.persistence.SaleRepository.SaleWithOutboxState;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StorageException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;

/**
 * What the clerk's window reads: this branch's sales with their sync state, and the regions and
 * products already used (for the form's suggestions).
 *
 * <p>Thread-safe; every method does database I/O and must not run on the Swing event thread.
 * Failures are {@link StorageException}s whose message is a sentence for the clerk.
 */
public final class SalesQueries {

    /**
     * The newest sales that match a search (at most the limit asked for), how many match in all, and
     * today's figures whatever the search.
     *
     * @param liveCount  live sales matching the search (all live sales without one)
     * @param todayCount live sales dated today
     * @param todayTotal their summed Total
     */
    public record Snapshot(List<SaleRow> rows, long liveCount, long todayCount, BigDecimal todayTotal) {}

    private static final int SUGGESTIONS = 500;

    private final SaleRepository sales;
    private final DatabaseSettings databaseSettings;

    public SalesQueries(SaleRepository sales, DatabaseSettings databaseSettings) {
        this.sales = sales;
        this.databaseSettings = databaseSettings;
    }

    /** The newest {@code limit} live sales, newest first, each with the sync state of its current version. */
    public Snapshot latest(int limit) {
        return latest(limit, null);
    }

    /**
     * The newest {@code limit} live sales whose date, region, product or sync state contains
     * {@code search} (case-insensitive; null or blank: all), searched in the database, not only
     * among the sales a window holds.
     */
    public Snapshot latest(int limit, String search) {
        try {
            List<SaleRow> rows = sales.listLiveWithOutboxState(limit, search).stream()
                    .map(SalesQueries::row)
                    .toList();
            long count = rows.size() < limit ? rows.size() : sales.countLive(search);
            SaleRepository.DayFigures today = sales.dayFigures(LocalDate.now());
            return new Snapshot(rows, count, today.count(), today.total());
        } catch (SQLException e) {
            throw failure("read the sales", e);
        }
    }

    /** Regions already used at this branch, alphabetically. */
    public List<String> regions() {
        try {
            return sales.distinctRegions(SUGGESTIONS);
        } catch (SQLException e) {
            throw failure("read the regions", e);
        }
    }

    /** Products already sold at this branch, alphabetically. */
    public List<String> products() {
        try {
            return sales.distinctProducts(SUGGESTIONS);
        } catch (SQLException e) {
            throw failure("read the products", e);
        }
    }

    static SaleRow row(SaleWithOutboxState stored) {
        if (stored.published()) {
            return new SaleRow(stored.sale(), SaleRow.Sync.SYNCED, null);
        }
        if (stored.lastError() != null && !stored.lastError().isBlank()) {
            return new SaleRow(stored.sale(), SaleRow.Sync.FAILED, stored.lastError());
        }
        return new SaleRow(stored.sale(), SaleRow.Sync.PENDING, null);
    }

    private StorageException failure(String what, SQLException e) {
        return new StorageException("Could not " + what + ": " + Databases.unreachableMessage(databaseSettings, e), e);
    }
}
