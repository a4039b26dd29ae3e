package io.salesync.bench.workload;

import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleIds;
import io.salesync.common.sale.TaxRate;
import java.time.Clock;
import java.util.SplittableRandom;

/**
 * Makes the next version of some sale of one branch, as the mix says: a new sale, a correction of a
 * random live sale, or its deletion. Deterministic for a given seed but for the sale ids, which are
 * made as the branch makes them (time-ordered, {@link SaleIds}). Not thread-safe.
 */
public final class ChangeMaker {

    public static final TaxRate TAX_RATE = TaxRate.of("0.08");

    private final String branchId;
    private final ChangeMix mix;
    private final SplittableRandom random;
    private final SaleGenerator generator;
    private final SaleIds ids = new SaleIds(Clock.systemUTC());
    private final LiveSales live = new LiveSales();
    private long inserts;
    private long updates;
    private long deletes;

    public ChangeMaker(String branchId, ChangeMix mix, long seed) {
        this.branchId = branchId;
        this.mix = mix;
        this.random = new SplittableRandom(seed);
        this.generator = new SaleGenerator(random.split());
    }

    /** The next sale version; {@link Sale#version()} 1 is an insert. */
    public Sale next() {
        switch (mix.next(random, live.size())) {
            case INSERT -> {
                Sale sale = Sale.create(ids.next(), branchId, generator.next(), TAX_RATE);
                live.add(sale);
                inserts++;
                return sale;
            }
            case UPDATE -> {
                int index = live.pick(random);
                Sale sale = live.get(index).revise(generator.next(), TAX_RATE);
                live.replace(index, sale);
                updates++;
                return sale;
            }
            default -> {
                int index = live.pick(random);
                Sale sale = live.get(index).markDeleted();
                live.remove(index);
                deletes++;
                return sale;
            }
        }
    }

    public long inserts() {
        return inserts;
    }

    public long updates() {
        return updates;
    }

    public long deletes() {
        return deletes;
    }
}
