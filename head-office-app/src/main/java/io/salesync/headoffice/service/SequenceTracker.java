package io.salesync.headoffice.service;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which of one branch's sequence numbers have been applied: every number up to
 * {@link #contiguous()}, plus ranges above it that arrived early. Numbers arrive in order almost
 * always, so there are no ranges, or one while a gap is open.
 *
 * <p>What a branch may claim is bounded against what the head office holds, so that no branch can
 * make this state grow without bound or push it where its own later changes would be taken for
 * duplicates: a number more than {@link #MAX_AHEAD} above {@link #contiguous()}, or one that would
 * open more than {@link #MAX_RANGES} separate ranges, is {@link #refusal refused}. Only a resync
 * {@link #resetTo resets} the state, down as well as up. Pure logic; not thread-safe.
 */
public final class SequenceTracker {

    /**
     * How far above the last contiguous number a change may be. A branch sends its changes in
     * order, so an honest one is ahead only by what a lost queue held: ten million changes is
     * weeks of a busy branch. Beyond it, a resync sets the branch's state afresh.
     */
    public static final long MAX_AHEAD = 10_000_000L;

    /** Separate ranges above the gap at most; an honest branch opens one per lost run of messages. */
    public static final int MAX_RANGES = 100;

    private long contiguous;
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    public SequenceTracker(long contiguous, String ranges) {
        this.contiguous = contiguous;
        if (ranges != null && !ranges.isBlank()) {
            for (String range : ranges.split(",")) {
                int dash = range.indexOf('-');
                add(
                        Long.parseLong(range.substring(0, dash).trim()),
                        Long.parseLong(range.substring(dash + 1).trim()));
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
        return ranges.isEmpty()
                ? contiguous
                : Math.max(contiguous, ranges.lastEntry().getValue());
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

    /**
     * Why {@code seq} may not be applied, or null when it may (a duplicate may: {@link #accept}
     * then says it is one).
     */
    public String refusal(long seq) {
        if (seq <= contiguous || contains(seq)) {
            return null;
        }
        if (seq - contiguous > MAX_AHEAD) {
            return "sequence number " + seq + " is more than " + MAX_AHEAD + " ahead of " + contiguous
                    + ", the last number up to which the head office holds every change of this branch;"
                    + " a resync of the branch sets its state afresh";
        }
        if (ranges.size() >= MAX_RANGES && opensRange(seq)) {
            return "sequence number " + seq + " would open more than " + MAX_RANGES + " separate runs of changes after"
                    + " a gap at " + (contiguous + 1) + "; a resync of the branch sets its state afresh";
        }
        return null;
    }

    /** True when {@code seq} touches neither the watermark nor an existing range. */
    private boolean opensRange(long seq) {
        if (seq == contiguous + 1) {
            return false;
        }
        Map.Entry<Long, Long> before = ranges.floorEntry(seq);
        Map.Entry<Long, Long> after = ranges.ceilingEntry(seq);
        return (before == null || before.getValue() < seq - 1) && (after == null || after.getKey() > seq + 1);
    }

    /** How many separate ranges lie above the gap. */
    public int rangeCount() {
        return ranges.size();
    }

    /**
     * Makes {@code seq} the last number, with nothing applied above it and no gap: a resync starts
     * there, whatever was applied before, lower or higher.
     */
    public void resetTo(long seq) {
        contiguous = seq;
        ranges.clear();
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
