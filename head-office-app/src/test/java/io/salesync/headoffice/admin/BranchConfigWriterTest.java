package io.salesync.headoffice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesync.common.amqp.BrokerSettings;
import io.salesync.common.sale.TaxRate;
import io.salesync.headoffice.admin.BranchConfigWriter.BranchFile;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BranchConfigWriterTest {

    private static BranchFile file(String prefix) {
        return new BranchFile(
                BranchNames.of("bo3"),
                "Harbour Street",
                TaxRate.of("0.075"),
                "jdbc:mysql://db.example:3306/salesync_bo3?sslMode=REQUIRED",
                "AppPassword1",
                "OwnerPassword2",
                new BrokerSettings(URI.create("amqp://mq.example:5672/salesync"), "ho", "x", prefix),
                "BrokerPassword3");
    }

    @Test
    void theFileHasTheKeysOfBo1WithTheBranchsOwnNamesAndPasswords() throws Exception {
        Properties values = new Properties();
        values.load(new java.io.StringReader(BranchConfigWriter.text(file("salesync"))));

        assertThat(values)
                .containsEntry("salesync.branch.id", "bo3")
                .containsEntry("salesync.branch.tax-rate", "0.075")
                .containsEntry("salesync.db.url", "jdbc:mysql://db.example:3306/salesync_bo3?sslMode=REQUIRED")
                .containsEntry("salesync.db.user", "salesync_bo3")
                .containsEntry("salesync.db.password", "AppPassword1")
                .containsEntry("salesync.db.migration-user", "salesync_bo3_owner")
                .containsEntry("salesync.db.migration-password", "OwnerPassword2")
                .containsEntry("salesync.broker.uri", "amqp://mq.example:5672/salesync")
                .containsEntry("salesync.broker.user", "bo3")
                .containsEntry("salesync.broker.password", "BrokerPassword3")
                .doesNotContainKey("salesync.broker.prefix");
        assertThat(BranchConfigWriter.text(file("salesync"))).contains("# Branch office bo3 (Harbour Street)");
    }

    @Test
    void anotherPrefixIsWritten() throws Exception {
        Properties values = new Properties();
        values.load(new java.io.StringReader(BranchConfigWriter.text(file("shop"))));

        assertThat(values).containsEntry("salesync.broker.prefix", "shop");
    }

    @Test
    void theFileIsReadableByItsOwnerOnlyAndNeverReplaced(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("config").resolve("branch-bo3.properties");

        BranchConfigWriter.write(path, file("salesync"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                .isEqualTo("rw-------");
        assertThat(BranchConfigWriter.read(path).getProperty("salesync.db.password"))
                .isEqualTo("AppPassword1");
        assertThatThrownBy(() -> BranchConfigWriter.write(path, file("other")))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(BranchConfigWriter.read(path).getProperty("salesync.broker.prefix"))
                .isNull();
    }
}
