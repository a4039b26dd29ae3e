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
    private final Map<String, String> overrides = new HashMap<>();

    Lab() {
        try {
            configDir = Files.createTempDirectory("salesync-it-config");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A configuration value for every branch and head office made from now on (a key of the other side is ignored). */
    Lab with(String key, String value) {
        overrides.put(key, value);
        return this;
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
        values.putAll(overrides);
        write(configDir.resolve("branch-" + id + ".properties"), values);
        return BranchConfig.from(ConfigSource.of(values));
    }

    HeadOfficeConfig headOfficeConfig() {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(sandbox.database("ho"));
        values.putAll(sandbox.broker());
        values.put(HeadOfficeConfig.GAP_REPORT_S, "1");
        values.putAll(overrides);
        write(configDir.resolve("head-office.properties"), values);
        return HeadOfficeConfig.from(ConfigSource.of(values));
    }

    BranchOffice branch(String id) {
        BranchOffice branch = BranchOffice.open(branchConfig(id), status -> {}).startRelay();
        open.add(branch);
        return branch;
    }

    HeadOffice headOffice() {
        HeadOffice headOffice =
                HeadOffice.open(headOfficeConfig(), status -> {}).startConsumer();
        open.add(headOffice);
        return headOffice;
    }

    /** Live rows of a branch at the head office. */
    long liveAtHeadOffice(String branchId) {
        return sandbox.count("ho", "SELECT COUNT(*) FROM sale WHERE branch_id = ? AND NOT deleted", branchId);
    }

    /** Every sale of a branch at the head office, tombstones included, one line per row, for row-by-row comparison. */
    List<String> rowsAtHeadOffice(String branchId) {
        return rows("ho", "SELECT " + ROW + " FROM sale WHERE branch_id = ?", branchId);
    }

    /** Every sale in a branch's own database, in the form of {@link #rowsAtHeadOffice}. */
    List<String> rowsAtBranch(String branchId) {
        return rows(branchId, "SELECT " + ROW + " FROM sale");
    }

    private static final String ROW =
            "CONCAT_WS('|', sale_id, version, deleted, sale_date, region, product, qty, cost, amt, tax, total)";

    private List<String> rows(String schema, String sql, Object... parameters) {
        try (var connection = sandbox.dataSource(schema).getConnection();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> rows = new ArrayList<>();
            try (var rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the sales of " + schema, e);
        }
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
