package io.salesync.headoffice.model;

import java.math.BigDecimal;
import java.time.LocalDate;

/** The sum of Total of one branch's live sales on one day. */
public record DailyTotal(String branchId, LocalDate date, BigDecimal total) {}
