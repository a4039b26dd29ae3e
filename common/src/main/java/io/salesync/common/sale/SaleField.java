package io.salesync.common.sale;

/** The fields of a sale as a clerk or a CSV file gives them, with their column labels. */
public enum SaleField {
    DATE("Date"),
    REGION("Region"),
    PRODUCT("Product"),
    QTY("Qty"),
    COST("Cost"),
    AMT("Amt"),
    TAX("Tax"),
    TOTAL("Total");

    private final String label;

    SaleField(String label) {
        this.label = label;
    }

    /** The column label of the sales table, for example {@code Qty}. */
    public String label() {
        return label;
    }
}
