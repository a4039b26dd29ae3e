package io.salesync.headoffice.admin;

import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.config.BranchDirectory;
import io.salesync.common.config.ConfigException;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.sale.TaxRate;
import io.salesync.headoffice.admin.BranchConfigWriter.BranchFile;
import io.salesync.headoffice.persistence.BranchRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Opens and closes branches: {@code ./salesync add-branch} and {@code remove-branch}. Each is a list
 * of steps, each of which looks before it acts, so that running it again changes nothing and says
 * so, and a run that stopped half-way is finished by the next one.
 *
 * <p>add-branch: check the administrators' access; write the branch's configuration file (mode 600)
 * with new passwords, or keep the one there and take its passwords; the MySQL schema; the row-only
 * user and the owner; the RabbitMQ user and its permissions; the head office's registry. Existing
 * users keep their passwords.
 *
 * <p>remove-branch: delete the RabbitMQ user and close its connections; drop both MySQL users; drop
 * the schema only when asked; close the branch in the registry (the head office keeps its sales);
 * set the configuration file aside as {@code branch-<id>.properties.closed}.
 */
public final class BranchProvisioner {

    /** What a run did: one line per step, and whether anything changed. */
    public record Report(String branchId, List<String> steps, boolean changed) {}

    private static final Pattern DISPLAY_NAME = Pattern.compile("[^\\p{Cntrl}]{1,100}");

    private final DatabaseSettings headOffice;
    private final BrokerSettings broker;
    private final AdminSettings admin;
    private final BranchRegistry registry;
    private final Path configDir;
    private final Clock clock;
    private final Passwords passwords = new Passwords();

    /**
     * @param headOffice the head office's database settings: the server the branch schemas go on, and
     *                   names a branch may not take
     * @param broker     the head office's broker settings: vhost, prefix and the URI written for the branch
     * @param registry   the head office's registry, on its migrated schema
     * @param configDir  where {@code branch-<id>.properties} goes
     */
    public BranchProvisioner(
            DatabaseSettings headOffice,
            BrokerSettings broker,
            AdminSettings admin,
            BranchRegistry registry,
            Path configDir,
            Clock clock) {
        this.headOffice = headOffice;
        this.broker = broker;
        this.admin = admin;
        this.registry = registry;
        this.configDir = configDir;
        this.clock = clock;
    }

    /** add-branch. */
    public Report add(String id, String taxRate, String displayName) throws SQLException, IOException {
        BranchNames names = namesOf(id);
        TaxRate rate = taxRate(taxRate);
        if (displayName != null && !DISPLAY_NAME.matcher(displayName).matches()) {
            throw new ConfigException("--name must be 1 to 100 characters without line breaks or control characters");
        }
        List<String> steps = new ArrayList<>();
        boolean changed = false;
        BrokerAdmin brokerAdmin = new BrokerAdmin(admin.management(), admin.brokerUser(), admin.brokerPassword());
        Path file = BranchDirectory.fileOf(configDir, id);
        Properties values;
        try (DatabaseAdmin database = databaseAdmin()) {
            brokerAdmin.check();
            if (Files.exists(file)) {
                values = BranchConfigWriter.read(file);
                steps.add("kept     " + file + " (exists; its passwords are used for users still missing)");
            } else {
                BranchFile branchFile = new BranchFile(
                        names,
                        displayName,
                        rate,
                        serverUrl(names.schema()),
                        passwords.next(),
                        passwords.next(),
                        broker,
                        passwords.next());
                BranchConfigWriter.write(file, branchFile);
                values = BranchConfigWriter.read(file);
                changed = true;
                steps.add("wrote    " + file + " (mode 600, new passwords)");
            }
            changed |= step(steps, database.createSchema(names), "MySQL schema " + names.schema());
            changed |= step(
                    steps,
                    database.createAppUser(names, password(values, DatabaseSettings.PASSWORD)),
                    "MySQL user " + names.appUser() + " (reads and writes rows of " + names.schema() + " only)");
            changed |= step(
                    steps,
                    database.createOwner(names, password(values, DatabaseSettings.MIGRATION_PASSWORD)),
                    "MySQL user " + names.ownerUser() + " (migrates " + names.schema() + " only)");
        }
        changed |= step(
                steps,
                brokerAdmin.createUser(names.brokerUser(), password(values, BrokerSettings.PASSWORD)),
                "RabbitMQ user " + names.brokerUser());
        BrokerAdmin.Grant grant = BrokerAdmin.Grant.forBranch(broker.prefix(), id);
        boolean permitted = brokerAdmin.permit(broker.virtualHost(), names.brokerUser(), grant);
        changed |= permitted;
        steps.add((permitted ? "granted  " : "kept     ") + "RabbitMQ permissions on vhost " + broker.virtualHost()
                + ": publish to " + grant.topicExchange() + " as " + grant.topicWrite() + ", read " + grant.read());
        changed |= step(
                steps,
                registry.open(id, displayName, clock.instant()),
                "branch " + id + " in the head office's registry",
                "registered",
                "kept     branch " + id + " open in the head office's registry");
        return new Report(id, steps, changed);
    }

    /** remove-branch. */
    public Report remove(String id, boolean dropSchema) throws SQLException, IOException {
        BranchNames names = namesOf(id);
        List<String> steps = new ArrayList<>();
        boolean changed = false;
        BrokerAdmin brokerAdmin = new BrokerAdmin(admin.management(), admin.brokerUser(), admin.brokerPassword());
        try (DatabaseAdmin database = databaseAdmin()) {
            brokerAdmin.check();
            changed |= step(
                    steps,
                    brokerAdmin.deleteUser(names.brokerUser()),
                    "RabbitMQ user " + names.brokerUser() + " and its permissions (open connections closed)",
                    "deleted",
                    "absent   RabbitMQ user " + names.brokerUser());
            for (String user : List.of(names.appUser(), names.ownerUser())) {
                changed |= step(
                        steps, database.dropUser(user), "MySQL user " + user, "dropped", "absent   MySQL user " + user);
            }
            if (dropSchema) {
                changed |= step(
                        steps,
                        database.dropSchema(names),
                        "MySQL schema " + names.schema() + " and every row in it",
                        "dropped",
                        "absent   MySQL schema " + names.schema());
            } else {
                steps.add("kept     MySQL schema " + names.schema() + " (drop it with --drop-schema)");
            }
        }
        changed |= step(
                steps,
                registry.close(id, clock.instant()),
                "branch " + id + " in the head office's registry; its sales stay at the head office",
                "closed",
                "kept     branch " + id + " closed in the head office's registry");
        Path file = BranchDirectory.fileOf(configDir, id);
        if (Files.exists(file)) {
            Path aside = file.resolveSibling(file.getFileName() + ".closed");
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            steps.add("moved    " + file + " to " + aside.getFileName() + " (its users are gone)");
            changed = true;
        }
        return new Report(id, steps, changed);
    }

    /** The branch's names, refused when they would be the head office's own. */
    BranchNames namesOf(String id) {
        BranchNames names = BranchNames.of(id);
        List<String> taken = List.of(headOffice.schema(), headOffice.user(), headOffice.migrationUser());
        if (taken.contains(names.schema()) || taken.contains(names.ownerUser())) {
            throw new ConfigException("--id '" + id + "' would take the head office's own schema or users ("
                    + String.join(", ", taken) + ")");
        }
        if (id.equals(broker.user()) || id.equals(admin.brokerUser())) {
            throw new ConfigException("--id '" + id + "' is the head office's or the administrator's RabbitMQ user");
        }
        return names;
    }

    private static TaxRate taxRate(String value) {
        try {
            return TaxRate.of(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--tax-rate '" + value + "': a fraction between 0 and 1 with at most four"
                    + " decimal places (0.08 means 8 %)");
        }
    }

    private DatabaseAdmin databaseAdmin() throws SQLException {
        return DatabaseAdmin.connect(serverUrl(""), admin.databaseUser(), admin.databasePassword());
    }

    /** The head office's JDBC URL with another schema (none: the server itself); its options kept. */
    String serverUrl(String schema) {
        String url = headOffice.url();
        int start = url.indexOf("//") + 2;
        int slash = url.indexOf('/', start);
        int query = url.indexOf('?', start);
        String server = slash >= 0 ? url.substring(0, slash) : query >= 0 ? url.substring(0, query) : url;
        return server + "/" + schema + (query >= 0 ? url.substring(query) : "");
    }

    /** A password of the branch's file; empty when it has none (creating a user then fails, naming it). */
    private static String password(Properties values, String key) {
        return values.getProperty(key, "");
    }

    private static boolean step(List<String> steps, boolean done, String what) {
        return step(steps, done, what, "created", "kept     " + what + " (exists)");
    }

    private static boolean step(List<String> steps, boolean done, String what, String verb, String otherwise) {
        steps.add(done ? String.format("%-8s %s", verb, what) : otherwise);
        return done;
    }
}
