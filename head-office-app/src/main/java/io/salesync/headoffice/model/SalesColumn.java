package io.salesync.headoffice.model;

/** The columns of the consolidated sales table, in display order. */
public enum SalesColumn {
    BRANCH("Branch"),
    DATE("Date"),
    REGION("Region"),
    PRODUCT("Product"),
    QTY("Qty"),
    COST("Cost"),
    AMT("Amt"),
    TAX("Tax"),
    TOTAL("Total");

    private final String label;

    SalesColumn(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Numbers are right-aligned and summed in the totals. */
    public boolean numeric() {
        return ordinal() >= QTY.ordinal();
    }
}
