package io.salesync.bench.workload;

import io.salesync.common.sale.SaleInput;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Sales as a clerk would type them: a day in the last month, one of eight regions, one of a few
 * hundred products, 1 to 20 items at 0.50 to 500.00. Their encoded messages are the size of real
 * ones (about 500 bytes).
 */
public final class SaleGenerator {

    private static final String[] REGIONS = {"North", "South", "East", "West", "Centre", "Coast", "Mountains", "Islands"
    };
    private static final String[] KINDS = {
        "Pen Set",
        "Stapler",
        "Paper A4",
        "Desk Lamp",
        "Notebook",
        "Office Chair",
        "Ink Cartridge",
        "Whiteboard",
        "Folder",
        "Calculator",
        "Headset",
        "Monitor Arm",
        "Label Printer",
        "Shredder",
        "Desk Organizer",
        "Cable Kit"
    };
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

    private final SplittableRandom random;

    public SaleGenerator(SplittableRandom random) {
        this.random = random;
    }

    public SaleInput next() {
        return new SaleInput(
                TODAY.minusDays(random.nextInt(30)),
                region(random),
                product(random),
                1 + random.nextInt(20),
                BigDecimal.valueOf(50 + random.nextInt(50_000), 2));
    }

    /** One of the eight regions. */
    public static String region(RandomGenerator random) {
        return REGIONS[random.nextInt(REGIONS.length)];
    }

    /** One of a few hundred product names: a kind and a model. */
    public static String product(RandomGenerator random) {
        return KINDS[random.nextInt(KINDS.length)] + " " + (char) ('A' + random.nextInt(12)) + random.nextInt(10);
    }
}
