package io.salesync.it.fault;

import io.salesync.branch.service.SaleService;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a branch busy the way clerks and imports do, through the product's {@link SaleService}:
 * single sales, small multi-sale saves, corrections and deletions of earlier sales, at a steady
 * rate, plus import-sized bursts on demand (which a scenario uses to aim a kill at work in flight);
 * a burst comes on top of the steady rate, which goes on meanwhile.
 *
 * <p>One thread ("load-&lt;branch&gt;") writes steadily; {@link #burst} runs on the caller's thread.
 * The writer is the only one changing this branch's sales, so a correction never meets a stale
 * version; if one does, or the database refuses a change, it is counted as a failure and reported.
 */
final class LoadWriter {

    private static final String[] REGIONS = {"North", "South", "East", "West", "Central"};
    private static final String[] PRODUCTS = {
        "Paper",
        "Pens",
        "Desk",
        "Lamp",
        "Chair",
        "Stapler",
        "Ink",
        "Folder",
        "Monitor",
        "Cable",
        "Notebook",
        "Binder",
        "Tape",
        "Scissors",
        "Whiteboard"
    };
    private static final int IMPORT_TRANSACTION = 500;

    private final String branchId;
    private final SaleService service;
    private final int ratePerSecond;
    private final Random random;
    private final Thread thread;
    private final List<UUID> live = new ArrayList<>();
    private final Map<UUID, Long> versions = new HashMap<>();
    private final AtomicLong creates = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    /** Sales created by bursts: the steady rate is kept apart from them. */
    private final AtomicLong burstCreates = new AtomicLong();

    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private volatile boolean running;

    LoadWriter(String branchId, SaleService service, int ratePerSecond, long seed) {
        this.branchId = branchId;
        this.service = service;
        this.ratePerSecond = ratePerSecond;
        this.random = new Random(seed);
        this.thread = new Thread(this::run, "load-" + branchId);
        this.thread.setDaemon(true);
    }

    void start() {
        running = true;
        thread.start();
    }

    /** Stops the steady writing and waits for the change in hand to finish. */
    void stop() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Saves {@code count} new sales like an import does (transactions of 500); returns how many were saved. */
    int burst(int count, Random choices) {
        int saved = 0;
        while (saved < count) {
            int size = Math.min(IMPORT_TRANSACTION, count - saved);
            List<SaleInput> inputs = new ArrayList<>(size);
            synchronized (choices) {
                for (int i = 0; i < size; i++) {
                    inputs.add(input(choices));
                }
            }
            if (!attempt(() -> remember(service.createAll(inputs)))) {
                break;
            }
            creates.addAndGet(size);
            burstCreates.addAndGet(size);
            saved += size;
        }
        return saved;
    }

    long creates() {
        return creates.get();
    }

    long updates() {
        return updates.get();
    }

    long deletes() {
        return deletes.get();
    }

    long changes() {
        return creates() + updates() + deletes();
    }

    long failures() {
        return failures.get();
    }

    String firstFailure() {
        return firstFailure.get();
    }

    private void run() {
        long startNanos = System.nanoTime();
        while (running) {
            long due = (System.nanoTime() - startNanos) * ratePerSecond / 1_000_000_000L;
            if (changes() - burstCreates.get() >= due) {
                pauseMillis(5);
                continue;
            }
            writeOne();
        }
    }

    /** One step: mostly new sales, then corrections and deletions of live ones. */
    private void writeOne() {
        double roll = random.nextDouble();
        UUID target = roll < 0.55 ? null : pickLive();
        if (target == null) {
            if (roll < 0.05) {
                int size = 2 + random.nextInt(29);
                List<SaleInput> inputs = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    inputs.add(input(random));
                }
                if (attempt(() -> remember(service.createAll(inputs)))) {
                    creates.addAndGet(size);
                }
            } else {
                SaleInput input = input(random);
                if (attempt(() -> remember(List.of(service.create(input))))) {
                    creates.incrementAndGet();
                }
            }
        } else if (roll < 0.82) {
            long version = versionOf(target);
            SaleInput input = input(random);
            if (attempt(() -> changed(service.update(target, version, input)))) {
                updates.incrementAndGet();
            }
        } else {
            long version = versionOf(target);
            if (attempt(() -> changed(service.delete(target, version)))) {
                deletes.incrementAndGet();
            }
        }
    }

    private SaleInput input(Random choices) {
        return new SaleInput(
                LocalDate.of(2026, 11, 1 + choices.nextInt(28)),
                REGIONS[choices.nextInt(REGIONS.length)],
                PRODUCTS[choices.nextInt(PRODUCTS.length)] + " " + branchId.charAt(branchId.length() - 1),
                1 + choices.nextInt(20),
                BigDecimal.valueOf(50 + choices.nextInt(9_950), 2));
    }

    private synchronized UUID pickLive() {
        return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
    }

    private synchronized long versionOf(UUID id) {
        return versions.get(id);
    }

    private synchronized void remember(List<Sale> created) {
        for (Sale sale : created) {
            live.add(sale.id());
            versions.put(sale.id(), sale.version());
        }
    }

    private synchronized void changed(Sale sale) {
        if (sale.deleted()) {
            versions.remove(sale.id());
            int index = live.indexOf(sale.id());
            live.set(index, live.get(live.size() - 1));
            live.remove(live.size() - 1);
        } else {
            versions.put(sale.id(), sale.version());
        }
    }

    @FunctionalInterface
    private interface Change {
        void run() throws Exception;
    }

    /** Runs one change; a failure is counted (the report shows it) and the load goes on. */
    private boolean attempt(Change change) {
        try {
            change.run();
            return true;
        } catch (Exception e) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
            return false;
        }
    }

    private static void pauseMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
