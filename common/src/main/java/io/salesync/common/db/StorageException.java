package io.salesync.common.db;

/**
 * A database operation that failed for a reason outside the caller's control (server down, lost
 * connection, constraint). The message is a sentence a person can act on; the cause keeps the detail.
 */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What kind of problem caused it: whether waiting helps, or the configuration must change. */
    public DatabaseProblem.Kind kind() {
        return Databases.kind(getCause());
    }
}
