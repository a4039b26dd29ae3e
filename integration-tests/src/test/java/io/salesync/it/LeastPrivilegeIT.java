package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.config.HeadOfficeConfig;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each application runs as a MySQL user that can only read and write rows of its own schema; a
 * separate owner applies the migrations. Text with SQL metacharacters travels as data.
 */
class LeastPrivilegeIT {

    private static final String DML = "SELECT, INSERT, UPDATE, DELETE";

    private Lab lab;

    @BeforeEach
    void setUp() {
        lab = new Lab();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void appsWorkAsRowOnlyUsersWhileTheirUsersCannotAlterOrReadOtherSchemas() throws Exception {
        Map<String, String> hoDb = restricted("ho");
        Map<String, String> boDb = restricted("bo1");
        Map<String, String> hoValues = new HashMap<>(HeadOfficeConfig.defaults());
        hoValues.putAll(hoDb);
        hoValues.putAll(lab.sandbox().broker());
        Map<String, String> boValues = new HashMap<>(BranchConfig.defaults("bo1"));
        boValues.putAll(boDb);
        boValues.putAll(lab.sandbox().broker());
        String region = "North'); DROP TABLE sale; --";
        String product = "\\' OR '1'='1 \" ; DELETE FROM sale WHERE 1=1; # Café 東京 %_";

        try (HeadOffice headOffice = HeadOffice.open(HeadOfficeConfig.from(ConfigSource.of(hoValues)), s -> {})
                        .startConsumer();
                BranchOffice branch = BranchOffice.open(BranchConfig.from(ConfigSource.of(boValues)), s -> {})
                        .startRelay()) {
            Sale sale = branch.saleService()
                    .create(new SaleInput(LocalDate.of(2026, 11, 26), region, product, 2, new BigDecimal("4.50")));

            await().atMost(Duration.ofSeconds(15)).until(() -> lab.liveAtHeadOffice("bo1") == 1);
            assertThat(textAtHeadOffice(sale)).isEqualTo(region + "|" + product);
        }

        try (Connection app = connect(hoDb);
                Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.execute("ALTER TABLE sale ADD COLUMN sneaky INT"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("denied");
            assertThatThrownBy(() -> statement.execute("DROP TABLE sale"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("denied");
            assertThatThrownBy(() -> statement.executeQuery(
                            "SELECT COUNT(*) FROM " + lab.sandbox().schema("bo1") + ".sale"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("denied");
        }
    }

    /** Database keys for an app user with row rights only and an owner that migrates. */
    private Map<String, String> restricted(String name) {
        String app = lab.sandbox().mysqlUser(name, "app", "app-pw", DML);
        String owner = lab.sandbox().mysqlUser(name, "owner", "owner-pw", "ALL PRIVILEGES");
        Map<String, String> values = new HashMap<>(lab.sandbox().database(name));
        values.put(DatabaseSettings.USER, app);
        values.put(DatabaseSettings.PASSWORD, "app-pw");
        values.put(DatabaseSettings.MIGRATION_USER, owner);
        values.put(DatabaseSettings.MIGRATION_PASSWORD, "owner-pw");
        return values;
    }

    private String textAtHeadOffice(Sale sale) throws SQLException {
        try (Connection connection = lab.sandbox().dataSource("ho").getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT region, product FROM sale WHERE sale_id = ?")) {
            statement.setString(1, sale.id().toString());
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1) + "|" + rs.getString(2);
            }
        }
    }

    private static Connection connect(Map<String, String> database) throws SQLException {
        return DriverManager.getConnection(
                database.get(DatabaseSettings.URL),
                database.get(DatabaseSettings.USER),
                database.get(DatabaseSettings.PASSWORD));
    }
}
