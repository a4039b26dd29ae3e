package io.salesync.common.sale;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Makes sale ids: time-ordered UUIDs of version 7 (RFC 9562), the milliseconds of the clock in the
 * first 48 bits, then a 12-bit counter, then 62 random bits.
 *
 * <p>Ids made one after another sort one after another, as UUIDs and as their text (lowercase hex
 * compares like the number), so a new sale's row goes at the end of every table keyed by its id, at
 * the branch and at the head office, instead of into a random page: once a table outgrows the
 * database's buffer pool, random keys make each insert read and split a page of its own. The
 * counter keeps ids of the same millisecond in order and, when the clock steps back or more than
 * 4,096 sales are made in one millisecond, the id borrows the next millisecond: ids from one
 * generator never go backwards. The 62 random bits keep ids of different generators (a second
 * till, a restarted application) apart; a sale is identified by its branch and its id together.
 *
 * <p>Thread-safe.
 */
public final class SaleIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int COUNTER_BITS = 12;
    private static final int COUNTER_MAX = (1 << COUNTER_BITS) - 1;

    private final Clock clock;
    private long millis = Long.MIN_VALUE;
    private int counter;

    public SaleIds(Clock clock) {
        this.clock = clock;
    }

    /** The next id: later than every id this generator made before. */
    public synchronized UUID next() {
        long now = clock.millis();
        if (now > millis) {
            millis = now;
            // A random start in the lower half leaves room for the millisecond's next ids.
            counter = RANDOM.nextInt(1 << (COUNTER_BITS - 1));
        } else if (counter < COUNTER_MAX) {
            counter++;
        } else {
            millis++;
            counter = 0;
        }
        long mostSignificant = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | counter;
        long leastSignificant = RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant);
    }

    /** The milliseconds since the epoch an id of version 7 carries. */
    public static long millisOf(UUID id) {
        if (id.version() != 7) {
            throw new IllegalArgumentException("not a time-ordered (version 7) UUID: " + id);
        }
        return id.getMostSignificantBits() >>> 16;
    }
}
