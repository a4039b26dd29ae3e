package io.salesync.headoffice.model;

/** How a branch's synchronisation looks from the head office; the thresholds are in docs/head-office.md. */
public enum Health {
    HEALTHY("Healthy"),
    LAGGING("Lagging"),
    SILENT("Silent"),
    /** The latest checkpoint did not match, or changes never arrived: the numbers cannot be trusted. */
    DIVERGED("Diverged"),
    /** Closed by {@code ./salesync remove-branch}: its sales stay, nothing more is expected from it. */
    CLOSED("Closed");

    private final String label;

    Health(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
