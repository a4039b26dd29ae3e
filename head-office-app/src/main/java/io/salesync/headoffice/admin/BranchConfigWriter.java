package io.salesync.headoffice.admin;

import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.config.ConfigException;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.sale.TaxRate;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.Set;

/**
 * A provisioned branch's {@code branch-<id>.properties}: the keys of {@code config/branch-bo1.properties}
 * with the branch's own names and generated passwords, created readable by its owner only (mode 600)
 * and never overwritten.
 */
public final class BranchConfigWriter {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** The values a branch's file holds. */
    public record BranchFile(
            BranchNames names,
            String displayName,
            TaxRate taxRate,
            String databaseUrl,
            String appPassword,
            String ownerPassword,
            BrokerSettings broker,
            String brokerPassword) {}

    private BranchConfigWriter() {}

    /** The file's text. */
    public static String text(BranchFile file) {
        BranchNames names = file.names();
        BrokerSettings broker = file.broker();
        StringBuilder text = new StringBuilder();
        text.append("# Branch office ").append(names.id());
        if (file.displayName() != null) {
            text.append(" (").append(file.displayName()).append(')');
        }
        text.append(", written by ./salesync add-branch.\n");
        text.append("# Its passwords were generated for this branch alone: keep this file private (mode 600).\n");
        line(text, "salesync.branch.id", names.id());
        line(text, "salesync.branch.tax-rate", file.taxRate().value().toPlainString());
        line(text, DatabaseSettings.URL, file.databaseUrl());
        line(text, DatabaseSettings.USER, names.appUser());
        line(text, DatabaseSettings.PASSWORD, file.appPassword());
        text.append(
                "# Applies the schema migrations at start-up; the application user above cannot alter the schema.\n");
        line(text, DatabaseSettings.MIGRATION_USER, names.ownerUser());
        line(text, DatabaseSettings.MIGRATION_PASSWORD, file.ownerPassword());
        line(text, BrokerSettings.URI_KEY, broker.uri().toString());
        if (broker.clustered()) {
            line(text, BrokerSettings.ADDRESSES, broker.hostAndPort());
        }
        if (!"salesync".equals(broker.prefix())) {
            line(text, BrokerSettings.PREFIX, broker.prefix());
        }
        if (broker.tlsCaFile() != null) {
            line(text, BrokerSettings.TLS_CA_FILE, broker.tlsCaFile().toString());
        }
        line(text, BrokerSettings.USER, names.brokerUser());
        line(text, BrokerSettings.PASSWORD, file.brokerPassword());
        return text.toString();
    }

    /**
     * Creates the file with mode 600 from the start (never readable by others, not even for a moment).
     *
     * @throws FileAlreadyExistsException when it exists: a branch's file is never replaced
     */
    public static void write(Path path, BranchFile file) throws IOException {
        Path directory = path.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
        if (posix) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(path);
        }
        try (Writer writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.WRITE)) {
            writer.write(text(file));
        }
        if (posix) {
            Files.setPosixFilePermissions(path, OWNER_ONLY);
        }
    }

    /** The passwords of an existing file, for users that still have to be created with them. */
    public static Properties read(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + path + ": " + e.getMessage(), e);
        }
        return properties;
    }

    /** A key and a value the provisioner made, escaped as a properties file needs. */
    private static void line(StringBuilder text, String key, String value) {
        StringBuilder escaped = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                default -> escaped.append(c);
            }
        }
        text.append(key).append('=').append(escaped).append('\n');
    }
}
