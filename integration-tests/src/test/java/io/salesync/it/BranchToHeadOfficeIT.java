package io.salesync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.salesync.branch.BranchOffice;
import io.salesync.branch.service.SaleImporter;
import io.salesync.common.sale.Sale;
import io.salesync.common.sale.SaleInput;
import io.salesync.headoffice.HeadOffice;
import io.salesync.headoffice.service.SyncStatus;
import io.salesync.headoffice.service.SyncStatus.BranchReport;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Branch offices and the head office together, in one JVM, against real MySQL and RabbitMQ. */
class BranchToHeadOfficeIT {

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
    void aSaleItsCorrectionAndItsDeletionReachTheHeadOffice() throws Exception {
        HeadOffice headOffice = lab.headOffice();
        BranchOffice bo1 = lab.branch("bo1");

        Sale sale = bo1.saleService().create(input("North", "Paper", 3, "2.50"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lab.liveAtHeadOffice("bo1") == 1);
        assertThat(lab.sandbox()
                        .count(
                                "ho",
                                "SELECT COUNT(*) FROM sale WHERE sale_id = ? AND total = 8.10 AND version = 1",
                                sale.id().toString()))
                .isEqualTo(1);

        bo1.saleService().update(sale.id(), 1, input("North", "Paper", 4, "2.50"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> lab.sandbox()
                                .count(
                                        "ho",
                                        "SELECT COUNT(*) FROM sale WHERE sale_id = ? AND qty = 4 AND total = 10.80 AND version = 2",
                                        sale.id().toString())
                        == 1);

        bo1.saleService().delete(sale.id(), 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> lab.liveAtHeadOffice("bo1") == 0);
        assertThat(lab.sandbox()
                        .count(
                                "ho",
                                "SELECT COUNT(*) FROM sale WHERE sale_id = ? AND deleted AND version = 3",
                                sale.id().toString()))
                .as("tombstone")
                .isEqualTo(1);
        assertThat(headOffice.repository().progress("bo1"))
                .hasValueSatisfying(p -> assertThat(p.lastSeq()).isEqualTo(3));
    }

    @Test
    void importedSalesFromTwoBranchesMatchAtTheHeadOfficeAndBadRowsAreReportedByLine() throws Exception {
        HeadOffice headOffice = lab.headOffice();
        BranchOffice bo1 = lab.branch("bo1");
        BranchOffice bo2 = lab.branch("bo2");
        String csv = """
                Date,Region,Product,Qty,Cost,Amt,Tax,Total
                2026-11-01,North,Paper,3,2.50,7.50,0.60,8.10
                2026-11-02,South,"Pens, blue",0,1.00,,,
                11/03/2026,East,\"Say \"\"hi\"\"\",2,1.25,,,
                2026-11-04,West,Desk,1,abc,,,
                2026-11-05,West,Desk,1,100.00,100.00,9.00,109.00
                2026-11-06,Central,Lamp,2,10.00
                2026-11-07,Central,Lamp,2,10.00,,,
                """;

        SaleImporter.Result first =
                new SaleImporter(bo1.saleService()).importCsv(new StringReader(csv), (c, i, r) -> {}, () -> false);
        SaleImporter.Result second =
                new SaleImporter(bo2.saleService()).importCsv(new StringReader(csv), (c, i, r) -> {}, () -> false);

        // line 6 carries its own 9 % tax: stored as given, counted as another rate
        assertThat(first.imported()).isEqualTo(4);
        assertThat(first.otherRate()).isEqualTo(1);
        assertThat(first.rejections()).extracting(SaleImporter.Rejection::line).containsExactly(3L, 5L, 7L);
        assertThat(first.rejections().get(0).reason()).contains("Qty");
        assertThat(first.rejections().get(1).reason()).contains("Cost").contains("abc");
        assertThat(first.rejections().get(2).reason()).contains("columns");
        assertThat(second.imported()).isEqualTo(4);
        SyncStatus status = new SyncStatus(headOffice.repository());
        await().atMost(Duration.ofSeconds(15))
                .until(() -> status.report(lab.configDir()).stream().allMatch(BranchReport::matched));
        assertThat(status.report(lab.configDir()))
                .extracting(BranchReport::branchId)
                .containsExactly("bo1", "bo2");
        assertThat(lab.sandbox().count("ho", "SELECT COUNT(*) FROM sale WHERE product = 'Say \"hi\"'"))
                .isEqualTo(2);
    }

    @Test
    void theHeadOfficeStoppedWhileBranchesWriteCatchesUpWhenRestarted() throws Exception {
        HeadOffice headOffice = lab.headOffice();
        BranchOffice bo1 = lab.branch("bo1");
        BranchOffice bo2 = lab.branch("bo2");
        bo1.saleService().create(input("North", "Before", 1, "1.00"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lab.liveAtHeadOffice("bo1") == 1);

        headOffice.close();
        List<Sale> bo1Sales = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            bo1Sales.add(bo1.saleService().create(input("North", "While down " + i, 1 + i % 5, "3.10")));
            bo2.saleService().create(input("South", "While down " + i, 1 + i % 7, "4.20"));
        }
        bo1.saleService().delete(bo1Sales.get(0).id(), 1);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> bo1.relay().status().backlog() == 0
                        && bo2.relay().status().backlog() == 0);
        assertThat(lab.liveAtHeadOffice("bo1")).isEqualTo(1);

        HeadOffice restarted = lab.headOffice();

        SyncStatus status = new SyncStatus(restarted.repository());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> status.report(lab.configDir()).stream().allMatch(BranchReport::matched));
        assertThat(lab.liveAtHeadOffice("bo1")).isEqualTo(200);
        assertThat(lab.liveAtHeadOffice("bo2")).isEqualTo(200);
    }

    private static SaleInput input(String region, String product, int qty, String cost) {
        return new SaleInput(LocalDate.of(2026, 11, 26), region, product, qty, new BigDecimal(cost));
    }
}
