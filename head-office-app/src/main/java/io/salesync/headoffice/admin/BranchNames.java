package io.salesync.headoffice.admin;

import io.salesync.common.config.ConfigException;
import io.salesync.common.sale.SaleValidator;
import java.util.regex.Pattern;

/**
 * The names a provisioned branch gets, from its id alone: the MySQL schema {@code salesync_<id>},
 * the row-only user {@code salesync_<id>}, the owner {@code salesync_<id>_owner} and the RabbitMQ
 * user {@code <id>}, as {@code sql/init} and {@code rabbitmq/definitions.json} name bo1 and bo2.
 *
 * <p>The id rule is the branch id rule of every message ({@link SaleValidator#isValidBranchId}),
 * shortened to {@value #MAX_ID_LENGTH} characters so that {@code salesync_<id>_owner} fits MySQL 8's
 * 32-character user names; ids that would name the head office's own users or another branch's
 * owner are reserved. A name that passed the rule holds only {@code [a-z0-9_-]}: no quote, backtick,
 * backslash or space can reach the SQL the provisioner writes with it.
 */
public record BranchNames(String id, String schema, String appUser, String ownerUser) {

    public static final int MAX_ID_LENGTH = 17;
    /** The rule, as the error message states it. */
    public static final String RULE = "lower-case letters, digits, '-' or '_', starting with a letter or digit,"
            + " at most " + MAX_ID_LENGTH + " characters (its MySQL user salesync_<id>_owner must fit in 32)";

    static final String SCHEMA_PREFIX = "salesync_";
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9_-]{1,64}");

    public BranchNames {
        requireSafe(schema);
        requireSafe(appUser);
        requireSafe(ownerUser);
    }

    /**
     * The names of branch {@code id}.
     *
     * @throws ConfigException naming the option and the rule, when the id breaks it
     */
    public static BranchNames of(String id) {
        if (id == null || id.length() > MAX_ID_LENGTH || !SaleValidator.isValidBranchId(id)) {
            throw new ConfigException("--id '" + id + "' is not a branch id: " + RULE);
        }
        if (id.equals("ho") || id.startsWith("ho_")) {
            throw new ConfigException("--id '" + id + "' is reserved: salesync_ho and salesync_ho_* are the head"
                    + " office's own schema and users");
        }
        if (id.endsWith("_owner")) {
            throw new ConfigException("--id '" + id + "' is reserved: salesync_<id>_owner is the name of another"
                    + " branch's owner user");
        }
        String schema = SCHEMA_PREFIX + id;
        return new BranchNames(id, schema, schema, schema + "_owner");
    }

    /** The RabbitMQ user: the branch id, which the broker checks against each message's user_id. */
    public String brokerUser() {
        return id;
    }

    /**
     * The schema as {@code GRANT ... ON} takes it, backquoted: '_' is a wildcard there and is escaped,
     * so that the grant matches this schema only ({@code `salesync\_bo1`}).
     */
    String grantTarget() {
        return "`" + schema.replace("_", "\\_") + "`.*";
    }

    /** The schema backquoted, for CREATE and DROP DATABASE. */
    String quotedSchema() {
        return "`" + schema + "`";
    }

    /** A user name as an account literal ({@code 'salesync_bo1'@'%'}). */
    static String account(String user) {
        requireSafe(user);
        return "'" + user + "'@'%'";
    }

    private static void requireSafe(String name) {
        if (name == null || !SAFE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a safe MySQL name: " + name);
        }
    }
}
