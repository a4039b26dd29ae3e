package io.salesync.branch.cli;

import io.salesync.branch.config.BranchConfig;
import io.salesync.common.config.ConfigLocations;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --id} and {@code --config}, shared by every command of the branch office. */
final class BranchOptions {

    @Option(
            names = "--id",
            paramLabel = "ID",
            description = "the branch's id (default: salesync.branch.id of the configuration)")
    String id;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "the configuration file (default: branch-ID.properties in $SALESYNC_CONFIG_DIR, ~/.config/salesync"
                            + " or /etc/salesync, when there is one)")
    Path config;

    BranchConfig load() {
        // without --config, an installed branch reads SALESYNC_CONFIG_DIR, ~/.config/salesync or /etc/salesync
        return BranchConfig.load(
                id, config != null ? config : ConfigLocations.branchFile(id).orElse(null));
    }

    /**
     * Tells logback.xml which file to log to ({@code ~/.salesync/logs/branch-<id>.log}), before the
     * first logger is made. An explicit {@code -Dsalesync.log.dir} or {@code -Dsalesync.log.name} wins.
     */
    void nameLogFile() {
        if (System.getProperty("salesync.log.dir") == null) {
            System.setProperty(
                    "salesync.log.dir",
                    Path.of(System.getProperty("user.home"), ".salesync", "logs")
                            .toString());
        }
        if (System.getProperty("salesync.log.name") == null) {
            String name = id == null ? "default" : id.replaceAll("[^A-Za-z0-9_-]", "_");
            System.setProperty("salesync.log.name", "branch-" + name);
        }
    }
}
