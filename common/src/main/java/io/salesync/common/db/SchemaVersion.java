package io.salesync.common.db;

/**
 * Where a schema stands against the migrations an application ships, as read by
 * {@link Databases#schemaVersion}: for a process that may only read and so cannot bring the schema
 * up to date itself.
 *
 * @param applied the version of the newest migration applied, or null when none ever was
 * @param shipped the version of the newest migration this application carries
 * @param pending how many of the shipped migrations are not applied yet
 */
public record SchemaVersion(String applied, String shipped, int pending) {

    /** No migration was ever applied: the tables do not exist. */
    public boolean missing() {
        return applied == null;
    }

    /** Some migrations this application expects are not applied yet. */
    public boolean behind() {
        return applied != null && pending > 0;
    }

    /** Every migration this application carries is applied. */
    public boolean current() {
        return applied != null && pending == 0;
    }
}
