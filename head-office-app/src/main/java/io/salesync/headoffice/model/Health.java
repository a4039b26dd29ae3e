package io.salesync.headoffice.model;

/** How a branch's synchronisation looks from the head office; the thresholds are in docs/head-office.md. */
public enum Health {
    HEALTHY("Healthy"),
    LAGGING("Lagging"),
    SILENT("Silent");

    private final String label;

    Health(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
