package io.salesync.bench.workload;

import io.salesync.common.sale.Sale;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The live sales of one branch at their current version, so that corrections and deletions name a
 * sale and the version the clerk saw. A change picks a sale uniformly at random (the worst case for
 * the head office's caches). Not thread-safe: one writer per branch.
 */
public final class LiveSales {

    private final List<Sale> sales = new ArrayList<>();

    public int size() {
        return sales.size();
    }

    public void add(Sale sale) {
        sales.add(sale);
    }

    /** The index of a random live sale; the caller replaces or removes it. */
    public int pick(SplittableRandom random) {
        return random.nextInt(sales.size());
    }

    public Sale get(int index) {
        return sales.get(index);
    }

    public void replace(int index, Sale next) {
        sales.set(index, next);
    }

    /** Removes in constant time (the last sale takes the place of the removed one). */
    public void remove(int index) {
        Sale last = sales.remove(sales.size() - 1);
        if (index < sales.size()) {
            sales.set(index, last);
        }
    }
}
