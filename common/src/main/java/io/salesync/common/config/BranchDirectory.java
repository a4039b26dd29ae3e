package io.salesync.common.config;

import io.salesync.common.db.DatabaseSettings;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The branches an installation has: one {@code branch-<id>.properties} file each in the
 * configuration directory (the branch's MySQL schema and user and its RabbitMQ user exist
 * beside it; docs/operations.md lists the steps).
 */
public final class BranchDirectory {

    public static final String FILE_PREFIX = "branch-";
    public static final String FILE_SUFFIX = ".properties";

    private BranchDirectory() {}

    /** The configuration file of a branch in a directory. */
    public static Path fileOf(Path directory, String branchId) {
        return directory.resolve(FILE_PREFIX + branchId + FILE_SUFFIX);
    }

    /** The database defaults of a branch, matching the development stack. */
    public static Map<String, String> databaseDefaults(String branchId) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(DatabaseSettings.URL, "jdbc:mysql://127.0.0.1:3306/salesync_" + branchId);
        defaults.put(DatabaseSettings.USER, "salesync_" + branchId);
        defaults.put(DatabaseSettings.PASSWORD, "");
        defaults.put(DatabaseSettings.POOL_SIZE, "4");
        defaults.put(DatabaseSettings.MIGRATION_USER, "");
        defaults.put(DatabaseSettings.MIGRATION_PASSWORD, "");
        return defaults;
    }

    /** Branch ids with a configuration file in the directory, sorted. */
    public static List<String> branchIds(Path directory) {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, FILE_PREFIX + "*" + FILE_SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                ids.add(name.substring(FILE_PREFIX.length(), name.length() - FILE_SUFFIX.length()));
            }
        } catch (IOException e) {
            throw new ConfigException(
                    "cannot list branch configuration files in " + directory + ": " + e.getMessage(), e);
        }
        ids.sort(null);
        return ids;
    }

    /**
     * The database settings of one branch as its file gives them. The environment is not consulted:
     * its SALESYNC_* variables configure the running application, not the branches it reads.
     */
    public static DatabaseSettings database(Path directory, String branchId) {
        return DatabaseSettings.from(
                ConfigSource.load(databaseDefaults(branchId), fileOf(directory, branchId), Map.of(), new Properties()));
    }
}
