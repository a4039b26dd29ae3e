package io.salesync.common.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an installed application finds its configuration when no {@code --config} is given: the
 * directory named by {@code SALESYNC_CONFIG_DIR}, else the user's own
 * ({@code $XDG_CONFIG_HOME/salesync}, by default {@code ~/.config/salesync}), else the machine's
 * ({@code /etc/salesync}). The first that holds the file wins; none at all means the built-in
 * defaults, as before. The installation directory itself is never one of them, so that an upgrade
 * never touches a configuration.
 */
public final class ConfigLocations {

    public static final String ENVIRONMENT = "SALESYNC_CONFIG_DIR";
    public static final String HEAD_OFFICE_FILE = "head-office.properties";
    /** A manager's view-only window's file: a user that may only read, no broker. */
    public static final String HEAD_OFFICE_VIEW_FILE = "head-office-view.properties";

    private ConfigLocations() {}

    /** The directories searched, in order, for this process's environment and user. */
    public static List<Path> directories() {
        return directories(System.getenv(), System.getProperty("user.home"));
    }

    static List<Path> directories(Map<String, String> environment, String home) {
        List<Path> directories = new ArrayList<>();
        String named = environment.get(ENVIRONMENT);
        if (named != null && !named.isBlank()) {
            directories.add(Path.of(named));
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            directories.add(Path.of(xdg, "salesync"));
        } else if (home != null) {
            directories.add(Path.of(home, ".config", "salesync"));
        }
        directories.add(Path.of("/etc/salesync"));
        return directories;
    }

    /** The first of {@link #directories()} that holds {@code fileName}. */
    public static Optional<Path> find(String fileName) {
        return find(directories(), fileName);
    }

    static Optional<Path> find(List<Path> directories, String fileName) {
        return directories.stream()
                .map(directory -> directory.resolve(fileName))
                .filter(Files::isRegularFile)
                .findFirst();
    }

    /**
     * The configuration file of a branch: {@code branch-<id>.properties} in the first directory
     * that has it; without an id, the only branch file of the first directory that has any.
     *
     * @return the file, or empty when no directory holds any branch configuration (built-in defaults)
     * @throws ConfigException with one line naming the missing file and the configured branches,
     *                         when branches are configured but not this one, or when several are
     *                         and none was named
     */
    public static Optional<Path> branchFile(String branchId) {
        return branchFile(directories(), branchId);
    }

    static Optional<Path> branchFile(List<Path> directories, String branchId) {
        if (branchId != null) {
            Optional<Path> file =
                    find(directories, BranchDirectory.FILE_PREFIX + branchId + BranchDirectory.FILE_SUFFIX);
            if (file.isPresent()) {
                return file;
            }
        }
        for (Path directory : directories) {
            List<String> configured = BranchDirectory.branchIds(directory);
            if (configured.isEmpty()) {
                continue;
            }
            if (branchId != null) {
                throw new ConfigException("no configuration file " + BranchDirectory.fileOf(directory, branchId)
                        + " for branch '" + branchId + "'; configured branches: " + String.join(", ", configured));
            }
            if (configured.size() == 1) {
                return Optional.of(BranchDirectory.fileOf(directory, configured.get(0)));
            }
            throw new ConfigException("several branches are configured in " + directory + " ("
                    + String.join(", ", configured) + "): say which with --id");
        }
        return Optional.empty();
    }
}
