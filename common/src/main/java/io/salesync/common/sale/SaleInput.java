package io.salesync.common.sale;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * What a clerk (or a CSV row) supplies for a sale. Amount, tax and total are derived from it.
 * Fields may be null here; {@link SaleValidator} says which are missing.
 */
public record SaleInput(LocalDate date, String region, String product, Integer qty, BigDecimal cost) {}
