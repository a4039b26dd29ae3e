package io.salesync.headoffice.service;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which of one branch's sequence numbers have been applied: every number up to
 * {@link #contiguous()}, plus ranges above it that arrived early. Numbers arrive in order almost
 * always, so there are no ranges, or one while a gap is open. Pure logic; not thread-safe.
 */
public final class SequenceTracker {

    private long contiguous;
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    public SequenceTracker(long contiguous, String ranges) {
        this.contiguous = contiguous;
        if (ranges != null && !ranges.isBlank()) {
            for (String range : ranges.split(",")) {
                int dash = range.indexOf('-');
                add(Long.parseLong(range.substring(0, dash).trim()), Long.parseLong(range.substring(dash + 1).trim()));
            }
        }
    }

    /** Every sequence number up to this one has been applied. */
    public long contiguous() {
        return contiguous;
    }

    /** Applied numbers above {@link #contiguous()}, as "first-last" ranges; empty when there is no gap. */
    public String ranges() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<Long, Long> range : ranges.entrySet()) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(range.getKey()).append('-').append(range.getValue());
        }
        return text.toString();
    }

    /** True while some number below an applied one has not arrived. */
    public boolean hasGap() {
        return !ranges.isEmpty();
    }

    /** The first number that has not arrived while later ones have, or 0 without a gap. */
    public long firstMissing() {
        return hasGap() ? contiguous + 1 : 0;
    }

    /** How many numbers have not arrived although a later one has: the size of the gaps. */
    public long missing() {
        return ranges.isEmpty() ? 0 : missingBefore(ranges.lastEntry().getValue() + 1);
    }

    /** The highest number applied. */
    public long highestApplied() {
        return ranges.isEmpty() ? contiguous : Math.max(contiguous, ranges.lastEntry().getValue());
    }

    /** Records an applied number; returns false for one already recorded (a duplicate). */
    public boolean accept(long seq) {
        if (seq <= contiguous || contains(seq)) {
            return false;
        }
        add(seq, seq);
        absorb();
        return true;
    }

    /** How many numbers below {@code seq} have not been applied. */
    public long missingBefore(long seq) {
        if (seq - 1 <= contiguous) {
            return 0;
        }
        long missing = seq - 1 - contiguous;
        for (Map.Entry<Long, Long> range : ranges.headMap(seq, false).entrySet()) {
            missing -= Math.min(range.getValue(), seq - 1) - range.getKey() + 1;
        }
        return missing;
    }

    /** Treats every number up to {@code seq} as applied (a resync supersedes them). */
    public void skipTo(long seq) {
        if (seq <= contiguous) {
            return;
        }
        contiguous = seq;
        Iterator<Map.Entry<Long, Long>> it = ranges.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> range = it.next();
            if (range.getValue() <= seq) {
                it.remove();
            } else if (range.getKey() <= seq) {
                it.remove();
                ranges.put(seq + 1, range.getValue());
                break;
            } else {
                break;
            }
        }
        absorb();
    }

    private boolean contains(long seq) {
        Map.Entry<Long, Long> floor = ranges.floorEntry(seq);
        return floor != null && floor.getValue() >= seq;
    }

    /** Inserts [first, last] and merges it with touching neighbours. */
    private void add(long first, long last) {
        Map.Entry<Long, Long> before = ranges.floorEntry(first);
        if (before != null && before.getValue() >= first - 1) {
            first = before.getKey();
            last = Math.max(last, before.getValue());
            ranges.remove(before.getKey());
        }
        Map.Entry<Long, Long> after = ranges.ceilingEntry(first);
        while (after != null && after.getKey() <= last + 1) {
            last = Math.max(last, after.getValue());
            ranges.remove(after.getKey());
            after = ranges.ceilingEntry(first);
        }
        ranges.put(first, last);
    }

    /** Moves the watermark over a range that now starts right after it. */
    private void absorb() {
        Map.Entry<Long, Long> first = ranges.firstEntry();
        if (first != null && first.getKey() <= contiguous + 1) {
            contiguous = Math.max(contiguous, first.getValue());
            ranges.remove(first.getKey());
        }
    }
}
