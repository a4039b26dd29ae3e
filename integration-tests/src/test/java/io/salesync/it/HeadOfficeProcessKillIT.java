package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.salesync.branch.BranchOffice;
import io.salesync.common.db.DatabaseSettings;
import io.salesync.common.db.Databases;
import io.salesync.common.sale.SaleInput;
import io.salesync.headoffice.HeadOfficeMain;
import io.salesync.headoffice.persistence.AggregateRepository;
import io.salesync.headoffice.service.SyncStatus;
import io.salesync.headoffice.service.SyncStatus.BranchReport;
import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The head office as a real process, killed with SIGKILL while two branches are importing, then
 * started again: every branch ends matched, nothing lost, nothing doubled.
 */
class HeadOfficeProcessKillIT {

    private static final int SALES_PER_BRANCH = 3_000;

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
    void killedInTheMiddleOfAnImportTheHeadOfficeCatchesUpExactlyOnce() throws Exception {
        lab.headOfficeConfig();
        BranchOffice bo1 = lab.branch("bo1");
        BranchOffice bo2 = lab.branch("bo2");
        Process first = startHeadOffice();

        CompletableFuture<Void> imports = CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> write(bo1, "bo1")),
                CompletableFuture.runAsync(() -> write(bo2, "bo2")));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptions()
                .until(() -> lab.liveAtHeadOffice("bo1") + lab.liveAtHeadOffice("bo2") > 500);
        first.destroyForcibly().waitFor();
        long atKill = lab.liveAtHeadOffice("bo1") + lab.liveAtHeadOffice("bo2");
        imports.get();
        assertThat(atKill).as("killed in the middle").isLessThan(2L * SALES_PER_BRANCH);

        startHeadOffice();

        try (HikariDataSource ho = Databases.pool(
                new DatabaseSettings(
                        lab.headOfficeConfig().database().url(),
                        lab.sandbox().mysql().user(),
                        lab.sandbox().mysql().password(),
                        2),
                "check")) {
            SyncStatus status = new SyncStatus(new AggregateRepository(ho));
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> status.report(lab.configDir()).stream().allMatch(BranchReport::matched));
        }
        assertThat(lab.liveAtHeadOffice("bo1")).isEqualTo(SALES_PER_BRANCH);
        assertThat(lab.liveAtHeadOffice("bo2")).isEqualTo(SALES_PER_BRANCH);
        assertThat(lab.sandbox().count("ho", "SELECT SUM(applied_changes) FROM branch_progress"))
                .as("changes applied, redeliveries included")
                .isGreaterThanOrEqualTo(2L * SALES_PER_BRANCH);
    }

    private static void write(BranchOffice branch, String id) {
        try {
            List<SaleInput> batch = new ArrayList<>();
            for (int i = 0; i < SALES_PER_BRANCH; i++) {
                batch.add(new SaleInput(
                        LocalDate.of(2026, 11, 1 + i % 28),
                        "Region " + i % 5,
                        id + " item " + i,
                        1 + i % 9,
                        new BigDecimal("1.99")));
                if (batch.size() == 100) {
                    branch.saleService().createAll(batch);
                    batch.clear();
                }
            }
            branch.saleService().createAll(batch);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Process startHeadOffice() throws Exception {
        Path config = lab.configDir().resolve("head-office.properties");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dsalesync.log.level=WARN",
                        HeadOfficeMain.class.getName(),
                        "run",
                        "--headless",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "salesync-it-head-office.log"))
                .start();
        processes.add(process);
        return process;
    }
}
