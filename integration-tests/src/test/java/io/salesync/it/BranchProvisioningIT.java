package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.common.cli.Commands;
import io.salesync.common.config.ConfigException;
import io.salesync.common.event.BranchCommand;
import io.salesync.common.sale.SaleInput;
import io.salesync.common.testing.ShippedPermissions;
import io.salesync.common.testing.TestServices;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.admin.AdminSettings;
import io.salesync.headoffice.admin.BranchNames;
import io.salesync.headoffice.admin.BranchProvisioner;
import io.salesync.headoffice.cli.HeadOfficeCommand;
import io.salesync.headoffice.config.HeadOfficeConfig;
import io.salesync.headoffice.model.BranchHealth;
import io.salesync.headoffice.model.Health;
import io.salesync.headoffice.model.RegisteredBranch;
import io.salesync.headoffice.persistence.BranchRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code add-branch} and {@code remove-branch} against the real MySQL and RabbitMQ: a provisioned
 * branch works with exactly the rights bo1 has and no more, a second run changes nothing, a removed
 * branch's users can no longer log in or publish while the head office keeps its sales and shows it
 * closed; the registry learns hand-made branches on first contact; requests and status refuse a
 * branch nobody knows and leave no queue behind. Each test uses its own branch id (so its own
 * schema {@code salesync_<id>} and users), removed afterwards.
 */
class BranchProvisioningIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

    private Lab lab;
    private HeadOffice headOffice;
    private HeadOfficeConfig config;
    private BranchProvisioner provisioner;
    private BranchRegistry registry;
    private String id;
    private AdminSettings admin;

    @BeforeEach
    void setUp() {
        lab = new Lab();
        headOffice = lab.headOffice();
        config = headOffice.config();
        id = "t" + UUID.randomUUID().toString().substring(0, 8);
        TestServices.Mysql mysql = TestServices.mysql();
        TestServices.Amqp amqp = TestServices.amqp();
        String management = System.getenv("SALESYNC_TEST_AMQP_MANAGEMENT_URI");
        admin = new AdminSettings(
                mysql.user(),
                mysql.password(),
                amqp.user(),
                amqp.password(),
                URI.create(
                        management != null ? management : "http://" + amqp.uri().getHost() + ":15672"));
        registry = headOffice.registry();
        provisioner = new BranchProvisioner(
                config.database(), config.broker(), admin, registry, lab.configDir(), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            provisioner.remove(id, true);
            try (Channel channel = lab.sandbox().amqpConnection().createChannel()) {
                channel.queueDelete(lab.sandbox().topology().controlQueue(id));
            } catch (RuntimeException | IOException e) {
                // best effort: the queue's name is unique to this test
            }
        } finally {
            lab.close();
        }
    }

    @Test
    void addBranchProvisionsABranchThatWorksWithExactlyTheRightsOfBo1() throws Exception {
        BranchProvisioner.Report report = provisioner.add(id, "0.07", "Harbour Street");

        assertThat(report.changed()).isTrue();
        Path file = lab.configDir().resolve("branch-" + id + ".properties");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        Properties values = read(file);
        assertThat(values.getProperty("salesync.db.password")).hasSize(32).doesNotContain("dev-only");
        assertThat(values.getProperty("salesync.broker.password"))
                .hasSize(32)
                .isNotEqualTo(values.getProperty("salesync.db.password"));

        // The branch runs as its new users: migrations as the owner, sales and outbox as the row user,
        // publishing as its broker user, and it answers a request read from its own control queue.
        try (BranchOffice branch =
                BranchOffice.open(BranchConfig.load(id, file), s -> {}).startRelay()) {
            assertThat(branch.saleService().taxRate().value()).isEqualByComparingTo("0.07");
            var sale = branch.saleService()
                    .create(new SaleInput(LocalDate.of(2026, 12, 1), "North", "Tea", 3, new BigDecimal("2.50")));
            branch.saleService()
                    .update(
                            sale.id(),
                            sale.version(),
                            new SaleInput(LocalDate.of(2026, 12, 1), "North", "Tea", 4, new BigDecimal("2.50")));
            await().atMost(WAIT).until(() -> lab.liveAtHeadOffice(id) == 1);
            headOffice.requests().send(BranchCommand.of(id, BranchCommand.Action.CHECKPOINT, Instant.now(), "test"));
            await().atMost(WAIT)
                    .until(() -> headOffice.verification().verifications().stream()
                            .anyMatch(v -> v.branchId().equals(id)
                                    && v.checkpoint() != null
                                    && v.checkpoint().matched()));
        }

        RegisteredBranch entry = registry.find(id).orElseThrow();
        assertThat(entry.registeredBy()).isEqualTo(RegisteredBranch.BY_COMMAND);
        assertThat(entry.displayName()).isEqualTo("Harbour Street");
        assertThat(entry.closedAt()).isNull();

        // Neither MySQL user reaches beyond its schema; the row user cannot change the schema.
        String headOfficeSchema = config.database().schema();
        String url = values.getProperty("salesync.db.url");
        for (String[] user : new String[][] {
            {values.getProperty("salesync.db.user"), values.getProperty("salesync.db.password")},
            {values.getProperty("salesync.db.migration-user"), values.getProperty("salesync.db.migration-password")}
        }) {
            try (var connection = DriverManager.getConnection(url, user[0], user[1]);
                    var statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeQuery("SELECT COUNT(*) FROM " + headOfficeSchema + ".sale"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("denied");
                assertThatThrownBy(() -> statement.executeQuery("SELECT COUNT(*) FROM salesync_bo1.sale"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("denied");
            }
        }
        try (var connection = DriverManager.getConnection(
                        url, values.getProperty("salesync.db.user"), values.getProperty("salesync.db.password"));
                var statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("UPDATE sale SET region = region"))
                    .isEqualTo(1);
            assertThatThrownBy(() -> statement.execute("ALTER TABLE sale ADD COLUMN sneaky INT"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("denied");
            assertThatThrownBy(() -> statement.execute("DROP TABLE outbox"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("denied");
        }

        // The broker user has exactly what the shipped file gives bo1, and the broker enforces it.
        ShippedPermissions.Grant shipped =
                ShippedPermissions.branch(config.broker().prefix(), id);
        JsonNode permission =
                management("/api/permissions/" + encode(config.broker().virtualHost()) + "/" + encode(id));
        assertThat(permission.path("configure").asText()).isEqualTo(shipped.configure());
        assertThat(permission.path("write").asText()).isEqualTo(shipped.write());
        assertThat(permission.path("read").asText()).isEqualTo(shipped.read());
        JsonNode topics =
                management("/api/topic-permissions/" + encode(config.broker().virtualHost()) + "/" + encode(id));
        assertThat(topics).hasSize(1);
        assertThat(topics.get(0).path("exchange").asText()).isEqualTo(shipped.topicExchange());
        assertThat(topics.get(0).path("write").asText()).isEqualTo(shipped.topicWrite());
        assertThat(topics.get(0).path("read").asText()).isEqualTo(shipped.topicRead());
        try (Channel setup = lab.sandbox().amqpConnection().createChannel()) {
            lab.sandbox().topology().declareControlQueue(setup, "other");
        }
        try (Connection connection = connectAs(id, values.getProperty("salesync.broker.password"))) {
            assertRefused(
                    connection,
                    channel -> channel.basicGet(lab.sandbox().topology().controlQueue("other"), false));
            assertRefused(connection, channel -> {
                channel.confirmSelect();
                channel.basicPublish(
                        lab.sandbox().topology().salesExchange(),
                        "sales.other",
                        new AMQP.BasicProperties.Builder().userId(id).build(),
                        "{}".getBytes(StandardCharsets.UTF_8));
                channel.waitForConfirmsOrDie(10_000);
            });
            assertRefused(connection, channel -> channel.queueDeclare(id + "-mine", false, false, true, null));
        } finally {
            try (Channel cleanup = lab.sandbox().amqpConnection().createChannel()) {
                cleanup.queueDelete(lab.sandbox().topology().controlQueue("other"));
            }
        }
    }

    @Test
    void aSecondAddChangesNothingAndSaysSo() throws Exception {
        provisioner.add(id, "0.08", null);
        Path file = lab.configDir().resolve("branch-" + id + ".properties");
        byte[] before = Files.readAllBytes(file);

        BranchProvisioner.Report again = provisioner.add(id, "0.10", "Another name");
        Run cli = run(
                "add-branch",
                "--id",
                id,
                "--config",
                headOfficeFile(),
                "--config-dir",
                lab.configDir().toString());

        assertThat(again.changed()).isFalse();
        assertThat(again.steps()).allMatch(step -> step.startsWith("kept"));
        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Nothing changed");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        Properties values = read(file);
        try (var connection = DriverManager.getConnection(
                values.getProperty("salesync.db.url"),
                values.getProperty("salesync.db.user"),
                values.getProperty("salesync.db.password"))) {
            assertThat(connection.isValid(2)).isTrue();
        }
        connectAs(id, values.getProperty("salesync.broker.password")).close();
    }

    @Test
    void anIdBreakingTheRuleIsRefusedWithTheRuleAndNothingIsCreated() throws Exception {
        Run run = run(
                "add-branch",
                "--id",
                "Bad.Id",
                "--config",
                headOfficeFile(),
                "--config-dir",
                lab.configDir().toString());

        assertThat(run.status()).isEqualTo(Commands.USAGE);
        assertThat(run.err().lines().toList())
                .containsExactly("salesync: --id 'Bad.Id' is not a branch id: " + BranchNames.RULE);
        assertThat(Files.exists(lab.configDir().resolve("branch-Bad.Id.properties")))
                .isFalse();
        assertThatThrownBy(() -> provisioner.add("ho", "0.08", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> provisioner.add("a23456789012345678", "0.08", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("at most 17");
        assertThat(registry.all()).doesNotContainKeys("Bad.Id", "ho", "a23456789012345678");
    }

    @Test
    void removeBranchClosesItWhileTheHeadOfficeKeepsItsSales() throws Exception {
        provisioner.add(id, "0.08", null);
        Path file = lab.configDir().resolve("branch-" + id + ".properties");
        Properties values = read(file);
        try (BranchOffice branch =
                BranchOffice.open(BranchConfig.load(id, file), s -> {}).startRelay()) {
            branch.saleService()
                    .create(new SaleInput(LocalDate.of(2026, 12, 2), "South", "Coffee", 1, new BigDecimal("3.00")));
            await().atMost(WAIT).until(() -> lab.liveAtHeadOffice(id) == 1);
        }
        Connection open = connectAs(id, values.getProperty("salesync.broker.password"));

        BranchProvisioner.Report report = provisioner.remove(id, false);

        assertThat(report.changed()).isTrue();
        assertThat(lab.liveAtHeadOffice(id)).isEqualTo(1);
        assertThat(registry.find(id).orElseThrow().closed()).isTrue();
        BranchHealth health = headOffice.services().health().branches().stream()
                .filter(b -> b.branchId().equals(id))
                .findFirst()
                .orElseThrow();
        assertThat(health.health()).isEqualTo(Health.CLOSED);
        await().atMost(Duration.ofSeconds(15)).until(() -> !open.isOpen());
        assertThat(catchThrowable(() -> connectAs(id, values.getProperty("salesync.broker.password"))))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(
                        values.getProperty("salesync.db.url"),
                        values.getProperty("salesync.db.user"),
                        values.getProperty("salesync.db.password")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("denied");
        assertThat(lab.sandbox()
                        .count(
                                "ho",
                                "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                                "salesync_" + id))
                .isEqualTo(1);
        assertThat(Files.exists(file)).isFalse();
        assertThat(Files.exists(file.resolveSibling(file.getFileName() + ".closed")))
                .isTrue();

        assertThat(provisioner.remove(id, false).changed()).isFalse();
        assertThat(provisioner.remove(id, true).changed()).isTrue();
        assertThat(lab.sandbox()
                        .count(
                                "ho",
                                "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                                "salesync_" + id))
                .isZero();
    }

    @Test
    void aBranchSetUpByHandIsRegisteredOnFirstContactAndAClosedOneStillApplies() throws Exception {
        String late = id + "c";
        registry.close(late, Instant.now());
        BranchOffice byHand = lab.branch(id);
        BranchOffice closed = lab.branch(late);

        byHand.saleService()
                .create(new SaleInput(LocalDate.of(2026, 12, 3), "East", "Milk", 2, new BigDecimal("1.20")));
        closed.saleService()
                .create(new SaleInput(LocalDate.of(2026, 12, 3), "East", "Milk", 2, new BigDecimal("1.20")));

        await().atMost(WAIT).until(() -> lab.liveAtHeadOffice(id) == 1 && lab.liveAtHeadOffice(late) == 1);
        RegisteredBranch entry = registry.find(id).orElseThrow();
        assertThat(entry.registeredBy()).isEqualTo(RegisteredBranch.BY_FIRST_CONTACT);
        assertThat(entry.closed()).isFalse();
        assertThat(registry.find(late).orElseThrow().closed()).isTrue();
    }

    @Test
    void requestsAndStatusRefuseAnUnknownBranchAndCreateNoQueue() throws Exception {
        String unknown = id + "x";
        String configFile = headOfficeFile();
        for (String command : new String[] {"checkpoint", "resync", "status"}) {
            Run run = run(
                    command,
                    "--branch",
                    unknown,
                    "--config",
                    configFile,
                    "--config-dir",
                    lab.configDir().toString());

            assertThat(run.status()).as(command).isEqualTo(Commands.USAGE);
            assertThat(run.err().lines().toList())
                    .as(command)
                    .singleElement()
                    .asString()
                    .startsWith("salesync: unknown branch '" + unknown + "': the head office knows ");
        }
        // a passive declaration of a queue that does not exist fails (and closes its channel)
        Channel channel = lab.sandbox().amqpConnection().createChannel();
        assertThat(catchThrowable(() ->
                        channel.queueDeclarePassive(lab.sandbox().topology().controlQueue(unknown))))
                .isInstanceOf(IOException.class)
                .hasStackTraceContaining("NOT_FOUND");
    }

    // ------------------------------------------------------------------------------------------

    @FunctionalInterface
    interface Attempt {
        void run(Channel channel) throws Exception;
    }

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status =
                Commands.execute(new HeadOfficeCommand(), args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    private String headOfficeFile() {
        lab.headOfficeConfig();
        return lab.configDir().resolve("head-office.properties").toString();
    }

    private static void assertRefused(Connection connection, Attempt attempt) throws IOException {
        Channel channel = connection.createChannel();
        Throwable refused = catchThrowable(() -> attempt.run(channel));
        assertThat(refused).isNotNull();
        String text = String.valueOf(refused) + " " + refused.getCause();
        assertThat(text).contains("ACCESS_REFUSED");
    }

    private Connection connectAs(String user, String password) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(TestServices.amqp().uri());
        factory.setUsername(user);
        factory.setPassword(password);
        factory.setAutomaticRecoveryEnabled(false);
        return factory.newConnection("provisioning-test");
    }

    private JsonNode management(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(admin.management().resolve(path))
                .header(
                        "authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((admin.brokerUser() + ":" + admin.brokerPassword())
                                                .getBytes(StandardCharsets.UTF_8)))
                .GET()
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }
}
