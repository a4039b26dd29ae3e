package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.branch.BranchOffice;
import io.salesync.branch.BranchOfficeMain;
import io.salesync.branch.config.BranchConfig;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.db.StorageException;
import io.salesync.common.testing.TcpProxy;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.HeadOfficeMain;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.service.SyncStatus;
import io.salesync.headoffice.service.SyncStatus.BranchReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator is told when an application starts with a database it cannot use: a refused
 * password stops a headless application at once with the reason and exit status 2 (before it says
 * it is consuming or relaying), a server that does not answer is waited for without consuming, and
 * {@code status} names a branch whose user is refused.
 */
class StartUpMessagesIT {

    private static final String DML = "SELECT, INSERT, UPDATE, DELETE";

    private Lab lab;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        lab = new Lab();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly().waitFor();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aHeadlessHeadOfficeWhoseOwnUserIsRefusedStopsAtOnceSayingWhy() throws Exception {
        Map<String, String> database = restricted("ho", "a-wrong-password");
        Path config = write("head-office.properties", headOfficeValues(database));

        Result result = run(HeadOfficeMain.class, "run", "--headless", "--config", config.toString());

        assertThat(result.status())
                .as("exit status; output:\n%s", result.output())
                .isEqualTo(2);
        assertThat(result.output())
                .contains("salesync: MySQL at " + mysqlHostAndPort() + " refused user "
                        + database.get(DatabaseSettings.USER)
                        + " (access denied): check salesync.db.user and salesync.db.password.");
        assertThat(result.output()).doesNotContain("consuming").doesNotContain("Consuming");
    }

    @Test
    void aHeadlessBranchWhoseOwnUserIsRefusedStopsAtOnceSayingWhy() throws Exception {
        Map<String, String> database = restricted("bo1", "a-wrong-password");
        Map<String, String> values = new HashMap<>(BranchConfig.defaults("bo1"));
        values.putAll(database);
        values.putAll(lab.sandbox().broker());
        Path config = write("branch-bo1.properties", values);

        Result result = run(BranchOfficeMain.class, "run", "--headless", "--config", config.toString());

        assertThat(result.status())
                .as("exit status; output:\n%s", result.output())
                .isEqualTo(2);
        assertThat(result.output())
                .contains("salesync: MySQL at " + mysqlHostAndPort() + " refused user "
                        + database.get(DatabaseSettings.USER)
                        + " (access denied): check salesync.db.user and salesync.db.password.");
        assertThat(result.output()).doesNotContain("Outbox relay for branch bo1 started");
    }

    @Test
    void openingTheHeadOfficeChecksItsOwnUserNotOnlyTheMigrationUser() {
        Map<String, String> values = headOfficeValues(restricted("ho", "a-wrong-password"));

        assertThatThrownBy(() -> HeadOffice.open(HeadOfficeConfig.from(ConfigSource.of(values)), status -> {})
                        .close())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("(access denied): check salesync.db.user and salesync.db.password.");
    }

    @Test
    void openingABranchChecksItsOwnUserNotOnlyTheMigrationUser() {
        Map<String, String> values = new HashMap<>(BranchConfig.defaults("bo1"));
        values.putAll(restricted("bo1", "a-wrong-password"));
        values.putAll(lab.sandbox().broker());

        assertThatThrownBy(() -> BranchOffice.open(BranchConfig.from(ConfigSource.of(values)), status -> {})
                        .close())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("(access denied): check salesync.db.user and salesync.db.password.");
    }

    @Test
    void aHeadlessHeadOfficeWaitsForADatabaseThatDoesNotAnswerWithoutConsuming() throws Exception {
        String hostAndPort = mysqlHostAndPort();
        try (TcpProxy proxy = new TcpProxy(
                hostAndPort.substring(0, hostAndPort.indexOf(':')),
                Integer.parseInt(hostAndPort.substring(hostAndPort.indexOf(':') + 1)))) {
            proxy.cut();
            Map<String, String> database = new HashMap<>(lab.sandbox()
                    .database(
                            "ho",
                            "jdbc:mysql://127.0.0.1:" + proxy.port() + "/"
                                    + lab.sandbox().schema("ho")));
            Path config = write("head-office.properties", headOfficeValues(database));
            Path log = Files.createTempFile(lab.configDir(), "head-office", ".log");
            Process process = start(log, HeadOfficeMain.class, "run", "--headless", "--config", config.toString());

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> read(log).contains("Cannot reach MySQL at 127.0.0.1:" + proxy.port())
                            || !process.isAlive());
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(process::isAlive);
            assertThat(read(log)).doesNotContain("consuming").doesNotContain("Consuming");

            proxy.restore();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> read(log).contains("Head office consuming") || !process.isAlive());
            assertThat(process.isAlive())
                    .as("still running; output:\n%s", read(log))
                    .isTrue();
        }
    }

    @Test
    void statusNamesABranchWhoseUserIsRefusedAndTheFileItsSettingsComeFrom() throws Exception {
        lab.headOfficeConfig();
        Map<String, String> values = new HashMap<>(BranchConfig.defaults("bo1"));
        values.putAll(restricted("bo1", "a-wrong-password"));
        values.putAll(lab.sandbox().broker());
        Path file = write("branch-bo1.properties", values);

        List<BranchReport> reports;
        try (HikariDataSource ho = Databases.pool(
                        new DatabaseSettings(
                                lab.headOfficeConfig().database().url(),
                                lab.sandbox().mysql().user(),
                                lab.sandbox().mysql().password(),
                                2),
                        "status-check");
                HeadOffice migrated = HeadOffice.open(lab.headOfficeConfig(), status -> {})) {
            reports = new SyncStatus(new AggregateRepository(ho)).report(lab.configDir());
        }

        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).verdict()).isEqualTo("unavailable");
        assertThat(reports.get(0).problem())
                .isEqualTo("MySQL at " + mysqlHostAndPort() + " refused user "
                        + values.get(DatabaseSettings.USER)
                        + " (access denied): check salesync.db.user and salesync.db.password."
                        + " Status reads the branch's settings from " + file + ".");
    }

    /** Database keys for an application user with row rights only (given {@code password}) and an owner that migrates. */
    private Map<String, String> restricted(String name, String password) {
        String app = lab.sandbox().mysqlUser(name, "app", "app-pw", DML);
        String owner = lab.sandbox().mysqlUser(name, "owner", "owner-pw", "ALL PRIVILEGES");
        Map<String, String> values = new HashMap<>(lab.sandbox().database(name));
        values.put(DatabaseSettings.USER, app);
        values.put(DatabaseSettings.PASSWORD, password);
        values.put(DatabaseSettings.MIGRATION_USER, owner);
        values.put(DatabaseSettings.MIGRATION_PASSWORD, "owner-pw");
        return values;
    }

    private Map<String, String> headOfficeValues(Map<String, String> database) {
        Map<String, String> values = new HashMap<>(HeadOfficeConfig.defaults());
        values.putAll(database);
        values.putAll(lab.sandbox().broker());
        return values;
    }

    private String mysqlHostAndPort() {
        return new DatabaseSettings(lab.sandbox().mysql().url("x"), "u", "p", 1).hostAndPort();
    }

    private Path write(String name, Map<String, String> values) {
        Path file = lab.configDir().resolve(name);
        Properties properties = new Properties();
        properties.putAll(values);
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "written by StartUpMessagesIT");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private record Result(int status, String output) {}

    /** Runs an application's main class as a process and waits up to 60 s for it to end. */
    private Result run(Class<?> mainClass, String... arguments) throws Exception {
        Path log = Files.createTempFile(lab.configDir(), mainClass.getSimpleName(), ".log");
        Process process = start(log, mainClass, arguments);
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        assertThat(ended)
                .as("%s ended within 60 s; output:\n%s", mainClass.getSimpleName(), read(log))
                .isTrue();
        return new Result(process.exitValue(), read(log));
    }

    private Process start(Path log, Class<?> mainClass, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dsalesync.log.level=INFO",
                "-Dsalesync.log.dir=" + lab.configDir(),
                "-cp",
                System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.add(process);
        return process;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
