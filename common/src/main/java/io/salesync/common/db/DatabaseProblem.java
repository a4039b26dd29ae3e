package io.salesync.common.db;

/**
 * Why a MySQL database could not be used, as a sentence a person can act on and its kind. Made by
 * {@link Databases#problem}; the kind decides whether waiting helps (the server is down) or someone
 * must change the configuration or the server's users first.
 */
public record DatabaseProblem(Kind kind, String sentence) {

    /** The kinds, each with the short word a status line shows and the mark its sentence carries. */
    public enum Kind {
        /** The server does not answer: down, wrong host or port, network. Waiting helps. */
        UNREACHABLE("unreachable", "Cannot reach MySQL at "),
        /** The server refused the user name or password. */
        ACCESS_DENIED("access denied", "(access denied"),
        /** The schema named in the URL does not exist. */
        UNKNOWN_DATABASE("no such database", "(unknown database)"),
        /** The user logged in but lacks a right it needs. */
        MISSING_RIGHTS("missing rights", "(missing rights: "),
        /** The schema exists but the application has not created its tables yet. */
        MISSING_TABLES("not set up", "The salesync tables do not exist yet"),
        /** Anything else: a statement failed. */
        OTHER("error", "Database error at ");

        private final String label;
        private final String mark;

        Kind(String label, String mark) {
            this.label = label;
            this.mark = mark;
        }

        /** A word or two for a status line: "unreachable", "access denied", ... */
        public String label() {
            return label;
        }

        /**
         * True when retrying alone does not help: the configuration or the server's users must
         * change. A service that runs for long keeps retrying anyway (the fix may be made on the
         * server while it runs); at start-up it is reported as a configuration error.
         */
        public boolean configuration() {
            return this == ACCESS_DENIED || this == UNKNOWN_DATABASE || this == MISSING_RIGHTS;
        }

        /**
         * The kind of a sentence made by {@link Databases#problem}, also when other words surround
         * it ("Could not save a sale: ..."); for parts of the applications that pass only the
         * sentence on. {@link #OTHER} when it carries no mark.
         */
        public static Kind of(String sentence) {
            if (sentence != null) {
                for (Kind kind : values()) {
                    if (sentence.contains(kind.mark)) {
                        return kind;
                    }
                }
            }
            return OTHER;
        }
    }
}
