package io.salesync.headoffice.model;

import java.time.LocalDate;
import java.util.Set;

/**
 * What the manager chose to look at. Every part is optional: an empty branch set means all
 * branches, a null date or region means no limit, a blank product text means any product.
 *
 * @param branches    branch ids to show; empty for all
 * @param from        first sale date included, or null
 * @param to          last sale date included, or null
 * @param region      exact region, or null for all
 * @param productText text the product name contains (case-insensitive), or null/blank
 */
public record SalesFilter(Set<String> branches, LocalDate from, LocalDate to, String region, String productText) {

    public static final SalesFilter ALL = new SalesFilter(Set.of(), null, null, null, null);

    public SalesFilter {
        branches = branches == null ? Set.of() : Set.copyOf(branches);
        region = region == null || region.isBlank() ? null : region;
        productText = productText == null || productText.isBlank() ? null : productText.strip();
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("the date range ends (" + to + ") before it starts (" + from + ")");
        }
    }
}
