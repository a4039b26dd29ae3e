package io.salesync.headoffice.model;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The sum of Total of one branch's live sales on one day; with a null branch id, the sum over all
 * the branches of a filter (the chart's total line).
 */
public record DailyTotal(String branchId, LocalDate date, BigDecimal total) {}
