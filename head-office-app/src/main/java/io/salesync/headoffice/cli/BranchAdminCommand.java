package io.salesync.headoffice.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.common.db.Databases;
import io.salesync.headoffice.admin.AdminSettings;
import io.salesync.headoffice.admin.BranchProvisioner;
import io.salesync.headoffice.admin.BrokerAdmin.BrokerAdminException;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.persistence.BranchRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code add-branch} and {@code remove-branch}: open or close a branch in one step
 * ({@link BranchProvisioner}), as the administrators named by the environment ({@link AdminSettings}).
 * Exit status 0 done (also when nothing needed doing), 1 a service refused or failed, 2 usage.
 */
abstract class BranchAdminCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--id", paramLabel = "ID", required = true, description = "the branch id (for example bo3)")
    String id;

    @Option(
            names = "--config-dir",
            paramLabel = "DIR",
            description = "where branch-<id>.properties goes (default: $SALESYNC_CONFIG_DIR, else the directory"
                    + " of the head office's file)")
    Path configDir;

    @Spec
    CommandSpec spec;

    abstract BranchProvisioner.Report run(BranchProvisioner provisioner) throws SQLException, IOException;

    @Override
    public Integer call() {
        HeadOfficeConfig loaded = config.load();
        AdminSettings admin = AdminSettings.from(System.getenv(), loaded.broker());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (HikariDataSource pool = Databases.pool(loaded.database(), "head-office-admin")) {
            Databases.migrate(pool, "head-office", loaded.database());
            BranchProvisioner provisioner = new BranchProvisioner(
                    loaded.database(),
                    loaded.broker(),
                    admin,
                    new BranchRegistry(pool),
                    config.branchDirectory(configDir),
                    Clock.systemUTC());
            BranchProvisioner.Report report = run(provisioner);
            out.println("Branch " + report.branchId() + ":");
            report.steps().forEach(step -> out.println("  " + step));
            out.println(
                    report.changed() ? done(report.branchId()) : "Nothing changed: " + unchanged(report.branchId()));
            return 0;
        } catch (SQLException e) {
            err.println("salesync: MySQL refused or failed (" + e.getMessage() + "); the administrator is '"
                    + admin.databaseUser() + "' (" + AdminSettings.DB_USER + ", " + AdminSettings.DB_PASSWORD + ")");
            return 1;
        } catch (BrokerAdminException | IOException e) {
            err.println("salesync: " + e.getMessage());
            return 1;
        }
    }

    abstract String done(String branchId);

    abstract String unchanged(String branchId);

    @Command(
            name = "add-branch",
            mixinStandardHelpOptions = true,
            description = "Provisions a branch: its MySQL schema and users, its RabbitMQ user and permissions,"
                    + " its configuration file (mode 600) and its place in the head office's registry.")
    static final class Add extends BranchAdminCommand {

        @Option(
                names = "--tax-rate",
                paramLabel = "R",
                defaultValue = "0.08",
                description = "the branch's tax rate as a fraction (default 0.08, 8 %)")
        String taxRate;

        @Option(names = "--name", paramLabel = "NAME", description = "the branch's display name")
        String name;

        @Override
        BranchProvisioner.Report run(BranchProvisioner provisioner) throws SQLException, IOException {
            return provisioner.add(id, taxRate, name);
        }

        @Override
        String done(String branchId) {
            return "Branch " + branchId + " is ready: start it with ./salesync branch --id " + branchId + ".";
        }

        @Override
        String unchanged(String branchId) {
            return "branch " + branchId + " was already provisioned.";
        }
    }

    @Command(
            name = "remove-branch",
            mixinStandardHelpOptions = true,
            description = "Closes a branch: its RabbitMQ and MySQL users are removed, the head office keeps its"
                    + " sales and shows it closed; --drop-schema also drops the branch's own schema.")
    static final class Remove extends BranchAdminCommand {

        @Option(names = "--drop-schema", description = "also drop the branch's MySQL schema and every sale in it")
        boolean dropSchema;

        @Override
        BranchProvisioner.Report run(BranchProvisioner provisioner) throws SQLException, IOException {
            return provisioner.remove(id, dropSchema);
        }

        @Override
        String done(String branchId) {
            return "Branch " + branchId + " is closed; its sales stay at the head office.";
        }

        @Override
        String unchanged(String branchId) {
            return "branch " + branchId + " was already closed.";
        }
    }
}
