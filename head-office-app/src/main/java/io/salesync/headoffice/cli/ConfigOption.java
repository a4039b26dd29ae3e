package io.salesync.headoffice.cli;

import io.salesync.common.config.ConfigLocations;
import io.salesync.headoffice.config.HeadOfficeConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by every command of the head office. */
final class ConfigOption {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "the configuration file (default: head-office.properties in $SALESYNC_CONFIG_DIR,"
                    + " ~/.config/salesync or /etc/salesync, when there is one)")
    Path file;

    /** The file named, or the one an installed head office reads, or none (defaults and environment only). */
    Path file() {
        return file != null
                ? file
                : ConfigLocations.find(ConfigLocations.HEAD_OFFICE_FILE).orElse(null);
    }

    /**
     * Where the branches' files are: {@code explicit} when given, else $SALESYNC_CONFIG_DIR, else the
     * directory of the head office's file, else the user's configuration directory.
     */
    Path branchDirectory(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        Path chosen = file();
        String named = System.getenv(ConfigLocations.ENVIRONMENT);
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        if (chosen != null && chosen.toAbsolutePath().getParent() != null) {
            return chosen.toAbsolutePath().getParent();
        }
        return ConfigLocations.directories().get(0);
    }

    HeadOfficeConfig load() {
        return HeadOfficeConfig.load(file());
    }

    /**
     * For a view-only window: the file named, else head-office-view.properties where an installed
     * head office looks for its configuration, else the head office's own file; view-only whatever
     * the file says.
     */
    HeadOfficeConfig loadViewOnly() {
        Path chosen = file != null
                ? file
                : ConfigLocations.find(ConfigLocations.HEAD_OFFICE_VIEW_FILE).orElse(file());
        return HeadOfficeConfig.load(chosen).asViewOnly();
    }
}
