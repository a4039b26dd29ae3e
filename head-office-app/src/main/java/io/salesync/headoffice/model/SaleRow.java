package io.salesync.headoffice.model;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One live sale as the head office holds it. */
public record SaleRow(
        String branchId,
        String saleId,
        LocalDate date,
        String region,
        String product,
        int qty,
        BigDecimal cost,
        BigDecimal amt,
        BigDecimal tax,
        BigDecimal total) {

    /** The value shown in a column. */
    public Object value(SalesColumn column) {
        return switch (column) {
            case BRANCH -> branchId;
            case DATE -> date;
            case REGION -> region;
            case PRODUCT -> product;
            case QTY -> qty;
            case COST -> cost;
            case AMT -> amt;
            case TAX -> tax;
            case TOTAL -> total;
        };
    }
}
