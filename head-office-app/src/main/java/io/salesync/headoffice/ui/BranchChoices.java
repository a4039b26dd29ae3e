package io.salesync.headoffice.ui;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The branch filter's plain rules, without Swing: the order branches are listed in (bo2 before
 * bo10), which branches a search shows, and the summary the filter bar shows of what is picked.
 */
final class BranchChoices {

    /** The summary when nothing (or everything) is picked: the filter leaves every branch in. */
    static final String ALL = "All branches";
    /** Most branches named in the summary before it says "N of M branches" instead. */
    static final int NAMED = 3;
    /** Longest summary of names; longer ones say "N of M branches". */
    static final int NAMED_LENGTH = 22;

    /** Branch ids in the order a person expects: letters alphabetically, numbers by value (bo2 before bo10). */
    static final Comparator<String> NATURAL = BranchChoices::compareNatural;

    private BranchChoices() {}

    /**
     * Whether a search shows a branch: any of its words (split on spaces and commas) is part of the
     * branch id, ignoring case. A blank search shows every branch.
     */
    static boolean matches(String branchId, String search) {
        List<String> words = words(search);
        if (words.isEmpty()) {
            return true;
        }
        String id = branchId.toLowerCase(Locale.ROOT);
        return words.stream().anyMatch(id::contains);
    }

    /** The branches a search shows, in the order given. */
    static List<String> shown(List<String> branches, String search) {
        List<String> shown = new ArrayList<>();
        for (String branch : branches) {
            if (matches(branch, search)) {
                shown.add(branch);
            }
        }
        return shown;
    }

    /** True when the picked branches leave every known branch in: none picked, or all of them. */
    static boolean all(Set<String> picked, Collection<String> known) {
        return picked.isEmpty() || (!known.isEmpty() && picked.containsAll(known));
    }

    /**
     * What the filter bar says of the picked branches: "All branches", their names when a few
     * short ones are picked ("bo1, bo2"), otherwise "12 of 200 branches".
     */
    static String summary(Set<String> picked, Collection<String> known) {
        if (all(picked, known)) {
            return ALL;
        }
        List<String> names = picked.stream().sorted(NATURAL).toList();
        String joined = String.join(", ", names);
        if (names.size() <= NAMED && joined.length() <= NAMED_LENGTH) {
            return joined;
        }
        int of = Math.max(known.size(), picked.size());
        return picked.size() + " of " + of + " branches";
    }

    private static List<String> words(String search) {
        List<String> words = new ArrayList<>();
        if (search != null) {
            for (String word : search.toLowerCase(Locale.ROOT).split("[\\s,]+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    private static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                String numberA = stripZeros(a.substring(i, endA));
                String numberB = stripZeros(b.substring(j, endB));
                int byValue = numberA.length() != numberB.length()
                        ? Integer.compare(numberA.length(), numberB.length())
                        : numberA.compareTo(numberB);
                if (byValue != 0) {
                    return byValue;
                }
                i = endA;
                j = endB;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        int byLength = Integer.compare(a.length() - i, b.length() - j);
        return byLength != 0 ? byLength : a.compareTo(b);
    }

    private static int digitsEnd(String text, int from) {
        int end = from;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end;
    }

    private static String stripZeros(String digits) {
        int first = 0;
        while (first < digits.length() - 1 && digits.charAt(first) == '0') {
            first++;
        }
        return digits.substring(first);
    }
}
