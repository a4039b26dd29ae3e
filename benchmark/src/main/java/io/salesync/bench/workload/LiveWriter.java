package io.salesync.bench.workload;

import io.salesync.branch.service.SaleNotFoundException;
import io.salesync.branch.service.SaleService;
import io.salesync.branch.service.StaleSaleException;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.sale.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * One branch's clerk at a fixed rate: creates, corrects and deletes sales through the real
 * {@link SaleService}, one change per transaction, on a fixed schedule (open loop: a late change
 * does not push the next ones back), and notes when each change was committed.
 *
 * <p>Runs on its own thread; its results are read after {@link Thread#join()}.
 */
public final class LiveWriter implements Runnable {

    /**
     * A committed change: the sale, its new version, {@link System#nanoTime()} right after the
     * commit, and how late the clerk started it.
     */
    public record Made(UUID saleId, long version, long committedNanos, long lateNanos) {}

    private final String branchId;
    private final SaleService service;
    private final ChangeMix mix;
    private final SplittableRandom random;
    private final SaleGenerator generator;
    private final LiveSales live = new LiveSales();
    private final List<Made> measured = new ArrayList<>();
    private long firstDue;
    private long intervalNanos;
    private long measureFrom;
    private long stopAt;
    private long inserts;
    private long updates;
    private long deletes;
    private long failures;
    private String firstFailure;

    public LiveWriter(String branchId, SaleService service, ChangeMix mix, long seed) {
        this.branchId = branchId;
        this.service = service;
        this.mix = mix;
        this.random = new SplittableRandom(seed);
        this.generator = new SaleGenerator(random.split());
    }

    /** Creates {@code count} sales (100 per transaction) so that this clerk's corrections and deletions have something to change. */
    public void seed(int count) throws ValidationException {
        for (int done = 0; done < count; done += 100) {
            List<SaleInput> inputs = new ArrayList<>();
            for (int i = done; i < Math.min(count, done + 100); i++) {
                inputs.add(generator.next());
            }
            service.createAll(inputs).forEach(live::add);
        }
    }

    /**
     * Sets the schedule: change i is due at {@code firstDue + i * interval}; only changes due from
     * {@code measureFrom} on are kept; none due at or after {@code stopAt} is made.
     */
    public void schedule(long firstDue, long intervalNanos, long measureFrom, long stopAt) {
        this.firstDue = firstDue;
        this.intervalNanos = intervalNanos;
        this.measureFrom = measureFrom;
        this.stopAt = stopAt;
    }

    @Override
    public void run() {
        for (long i = 0; ; i++) {
            long due = firstDue + i * intervalNanos;
            if (due >= stopAt) {
                return;
            }
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            long lag = System.nanoTime() - due;
            try {
                Sale made = change();
                long committed = System.nanoTime();
                if (due >= measureFrom) {
                    measured.add(new Made(made.id(), made.version(), committed, lag));
                    if (made.version() == 1) {
                        inserts++;
                    } else if (made.deleted()) {
                        deletes++;
                    } else {
                        updates++;
                    }
                }
            } catch (ValidationException | SaleNotFoundException | StaleSaleException | RuntimeException e) {
                failures++;
                if (firstFailure == null) {
                    firstFailure = "branch " + branchId + ": " + e.getMessage();
                }
            }
        }
    }

    private Sale change() throws ValidationException, SaleNotFoundException, StaleSaleException {
        switch (mix.next(random, live.size())) {
            case INSERT -> {
                Sale sale = service.create(generator.next());
                live.add(sale);
                return sale;
            }
            case UPDATE -> {
                int index = live.pick(random);
                Sale current = live.get(index);
                Sale sale = service.update(current.id(), current.version(), generator.next());
                live.replace(index, sale);
                return sale;
            }
            default -> {
                int index = live.pick(random);
                Sale current = live.get(index);
                Sale sale = service.delete(current.id(), current.version());
                live.remove(index);
                return sale;
            }
        }
    }

    public String branchId() {
        return branchId;
    }

    public List<Made> measured() {
        return measured;
    }

    /** Inserts among the measured changes. */
    public long inserts() {
        return inserts;
    }

    public long updates() {
        return updates;
    }

    public long deletes() {
        return deletes;
    }

    public long failures() {
        return failures;
    }

    public String firstFailure() {
        return firstFailure;
    }
}
