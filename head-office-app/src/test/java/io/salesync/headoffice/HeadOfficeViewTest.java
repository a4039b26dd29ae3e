package io.salesync.headoffice;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesync.common.config.ConfigSource;
import io.salesync.common.db.DatabaseProblem;
import io.salesync.common.db.SchemaVersion;
import io.salesync.common.db.StorageException;
import io.salesync.headoffice.config.HeadOfficeConfig;
import org.junit.jupiter.api.Test;

/** A view-only window never migrates: it says plainly when the head office has not set up its tables. */
class HeadOfficeViewTest {

    private static final HeadOfficeConfig CONFIG =
            HeadOfficeConfig.from(ConfigSource.of(HeadOfficeConfig.defaults())).asViewOnly();

    @Test
    void noTablesAtAllAsksForTheHeadOfficeServiceFirst() {
        assertThatThrownBy(() -> HeadOfficeView.requireTables(CONFIG, new SchemaVersion(null, "6", 6)))
                .isInstanceOf(StorageException.class)
                .hasMessage(
                        "The salesync tables do not exist yet in jdbc:mysql://127.0.0.1:3306/salesync_ho: the head office"
                                + " has not created its tables yet; start the head office service first.")
                .satisfies(e -> DatabaseProblem.Kind.of(e.getMessage()).equals(DatabaseProblem.Kind.MISSING_TABLES));
    }

    @Test
    void olderTablesNameBothVersions() {
        assertThatThrownBy(() -> HeadOfficeView.requireTables(CONFIG, new SchemaVersion("5", "6", 1)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is at schema version 5, this window needs version 6")
                .hasMessageContaining("start it (of this salesync version) first");
    }

    @Test
    void tablesWithEveryShippedMigrationAreRead() {
        assertThatCode(() -> HeadOfficeView.requireTables(CONFIG, new SchemaVersion("6", "6", 0)))
                .doesNotThrowAnyException();
        assertThatCode(() -> HeadOfficeView.requireTables(CONFIG, new SchemaVersion("7", "6", 0)))
                .doesNotThrowAnyException();
    }
}
