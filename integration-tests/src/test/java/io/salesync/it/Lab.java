package io.salesync.it;

import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.config.RelaySettings;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.testing.Sandbox;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A head office and branches wired to one sandbox, in this JVM, plus the configuration files an
 * operator would have (for the status command and for child processes).
 */
final class Lab implements AutoCloseable {

    private final Sandbox sandbox = new Sandbox();
    private final Path configDir;
    private final List<AutoCloseable> open = new ArrayList<>();

    Lab() {
        try {
            configDir = Files.createTempDirectory("salesync-it-config");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Sandbox sandbox() {
        return sandbox;
    }

    Path configDir() {
        return configDir;
    }

    BranchConfig branchConfig(String id) {
        Map<String, String> values = new HashMap<>(BranchConfig.defaults(id));
        values.putAll(sandbox.database(id));
        values.putAll(sandbox.broker());
        values.put(RelaySettings.IDLE_POLL_MS, "100");
        values.put(RelaySettings.CONFIRM_TIMEOUT_MS, "3000");
        write(configDir.resolve("branch-" + id + ".properties"), values);
        return BranchConfig.from(ConfigSource.of(values));
    }

    HeadOfficeConfig headOfficeConfig() {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(sandbox.database("ho"));
        values.putAll(sandbox.broker());
        write(configDir.resolve("head-office.properties"), values);
        return HeadOfficeConfig.from(ConfigSource.of(values));
    }

    BranchOffice branch(String id) {
        BranchOffice branch = BranchOffice.open(branchConfig(id), status -> { }).startRelay();
        open.add(branch);
        return branch;
    }

    HeadOffice headOffice() {
        HeadOffice headOffice = HeadOffice.open(headOfficeConfig(), status -> { }).startConsumer();
        open.add(headOffice);
        return headOffice;
    }

    /** Live rows of a branch at the head office. */
    long liveAtHeadOffice(String branchId) {
        return sandbox.count("ho", "SELECT COUNT(*) FROM sale WHERE branch_id = ? AND NOT deleted", branchId);
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        sandbox.close();
        try (var files = Files.list(configDir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(configDir);
    }

    private static void write(Path file, Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "written by an integration test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String databaseUrl(Map<String, String> values) {
        return values.get(DatabaseSettings.URL);
    }
}
