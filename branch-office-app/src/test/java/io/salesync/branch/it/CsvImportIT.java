package io.salesync.branch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.branch.BranchOffice;
import io.salesync.branch.config.BranchConfig;
import io.salesync.branch.service.SaleImporter;
import io.salesync.branch.service.SaleImporter.Rejection;
import io.salesync.common.config.ConfigSource;
import io.salesync.common.testing.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad CSV files against a real branch database: each bad row is reported with its line number and
 * reason while the good rows go in (each with its outbox row), whatever the damage, the line ends,
 * a byte order mark or the encoding. One branch serves all tests; its tables are emptied before each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsvImportIT {

    private static final String HEADER = "Date,Region,Product,Qty,Cost,Amt,Tax,Total\n";

    private Sandbox sandbox;
    private BranchOffice branch;
    private DataSource database;

    @BeforeAll
    void openBranch() {
        sandbox = new Sandbox();
        Map<String, String> values = new HashMap<>(BranchConfig.defaults("bo1"));
        values.putAll(sandbox.database("bo1"));
        values.putAll(sandbox.broker());
        values.put(BranchConfig.TAX_RATE, "0.08");
        branch = BranchOffice.open(BranchConfig.from(ConfigSource.of(values)), status -> {});
        database = sandbox.dataSource("bo1");
    }

    @AfterAll
    void close() {
        if (branch != null) {
            branch.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void emptyTheBranch() throws SQLException {
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM outbox");
            statement.execute("DELETE FROM sale");
        }
    }

    @Test
    void everyKindOfBadRowIsReportedAtItsLineWhileTheGoodRowsGoIn() throws Exception {
        String csv = HEADER
                + "2026-11-01,North,Paper,3,2.50,7.50,0.60,8.10\n"
                + "2026-11-02,North,\"Pens, blue\",2,1.00,,,\n"
                + "2026-11-03,North,Wid\"get,1,1.00,,,\n"
                + "2026-11-04,North,\"Open,1,1.00,,,\n"
                + "2026-11-05,North,\"Desk\"x,1,1.00,,,\n"
                + "2026-11-06,North,Desk,1,1.00\n"
                + "2026-11-07,North,Desk,1,1.00,,,,\n"
                + "2026-02-30,North,Desk,1,1.00,,,\n"
                + "26/11/2026,North,Desk,1,1.00,,,\n"
                + "yesterday,North,Desk,1,1.00,,,\n"
                + "1969-12-31,North,Desk,1,1.00,,,\n"
                + ",North,Desk,1,1.00,,,\n"
                + "2026-11-08,North,Desk,2.5,1.00,,,\n"
                + "2026-11-08,North,Desk,-1,1.00,,,\n"
                + "2026-11-08,North,Desk,99999999999,1.00,,,\n"
                + "2026-11-08,North,Desk,1,\"12,50\",,,\n"
                + "2026-11-08,North,Desk,1,abc,,,\n"
                + "2026-11-08,North,Desk,1,-1.00,,,\n"
                + "2026-11-08,North,Desk,1,1.234,,,\n"
                + "2026-11-08,North,Desk,1,1000000.00,,,\n"
                + "2026-11-08,North,Desk,1,1e3,,,\n"
                + "2026-11-08,North,Desk,2,1.00,3.00,,\n"
                + "2026-11-08,North,Desk,2,1.00,2.00,0.10,2.50\n"
                + "2026-11-08,North,Desk,2,1.00,,,9.99\n"
                + "2026-11-08," + "R".repeat(65) + ",Desk,1,1.00,,,\n"
                + "2026-11-08,North," + "P".repeat(5 * 1024) + ",1,1.00,,,\n"
                + "\n"
                + "   \n"
                + ",,,,,,,\n"
                + "11/26/2026,South,Chair,4,25.00,100.00,8.00,108.00\n";
        Map<Long, String> expected = new LinkedHashMap<>();
        expected.put(4L, "a quote inside an unquoted field 3");
        expected.put(5L, "a quoted field is not closed on its line (field 3)");
        expected.put(6L, "unexpected character 'x' after a closing quote in field 3");
        expected.put(7L, "expected 8 columns as in the header, found 5");
        expected.put(8L, "expected 8 columns as in the header, found 9");
        expected.put(9L, "Date: '2026-02-30' is not a date");
        expected.put(10L, "Date: '26/11/2026' is not a date");
        expected.put(11L, "Date: 'yesterday' is not a date");
        expected.put(12L, "Date: must be between 1970-01-01 and 2099-12-31");
        expected.put(13L, "Date: is required");
        expected.put(14L, "Qty: must be a whole number above 0, not '2.5'");
        expected.put(15L, "Qty: must be a whole number from 1 to 100000");
        expected.put(16L, "Qty: must be a whole number above 0, not '99999999999'");
        expected.put(17L, "Cost: '12,50' is not a number");
        expected.put(18L, "Cost: 'abc' is not a number");
        expected.put(19L, "Cost: cannot be negative");
        expected.put(20L, "Cost: must have at most two decimal places");
        expected.put(21L, "Cost: must be at most 999999.99");
        expected.put(22L, "Cost: '1e3' is not a number");
        expected.put(23L, "Amt: 3.00 does not match Qty x Cost = 2.00");
        expected.put(24L, "Total: 2.50 does not match Amt + Tax = 2.10");
        expected.put(25L, "Total: 9.99 gives a tax of 7.99, which is not between 0 and Amt = 2.00");
        expected.put(26L, "Region: must be at most 64 characters");
        expected.put(27L, "Product: must be at most 128 characters");

        SaleImporter.Result result = importText(csv);

        assertRejected(result, expected);
        assertThat(result.imported()).isEqualTo(3);
        assertThat(rows())
                .containsExactly(
                        "2026-11-01|North|Paper|3|2.50|7.50|0.60|8.10",
                        "2026-11-02|North|Pens, blue|2|1.00|2.00|0.16|2.16",
                        "2026-11-26|South|Chair|4|25.00|100.00|8.00|108.00");
        assertThat(count("SELECT COUNT(*) FROM outbox")).isEqualTo(3);
    }

    @Test
    void byteOrderMarkQuotedHeaderAndCrlfLineEndsAreReadLikeAnyFile(@TempDir Path directory) throws Exception {
        Path file = write(
                directory,
                "excel.csv",
                ("\uFEFF\"Date\",\"Region\",\"Product\",\"Qty\",\"Cost\"\r\n"
                                + "2026-11-01,North,Paper,1,1.00\r\n"
                                + "\r\n"
                                + "2026-11-02,\"South\",Pens,x,1.00\r\n"
                                + "2026-11-03,East,\"Desk, oak\",2,3.00\r\n")
                        .getBytes(StandardCharsets.UTF_8));

        SaleImporter.Result result = importFile(file);

        assertRejected(result, Map.of(4L, "Qty: must be a whole number above 0, not 'x'"));
        assertThat(rows())
                .containsExactly(
                        "2026-11-01|North|Paper|1|1.00|1.00|0.08|1.08",
                        "2026-11-03|East|Desk, oak|2|3.00|6.00|0.48|6.48");
    }

    @Test
    void fileWithCarriageReturnLineEndsLosesOnlyItsBrokenRow(@TempDir Path directory) throws Exception {
        Path file = write(
                directory,
                "mac.csv",
                ("Date,Region,Product,Qty,Cost\r"
                                + "2026-11-01,North,\"Open,1,1.00\r"
                                + "2026-11-02,North,Paper,1,1.00\r"
                                + "\r"
                                + "2026-11-03,East,Desk,2,3.00\r")
                        .getBytes(StandardCharsets.UTF_8));

        SaleImporter.Result result = importFile(file);

        assertRejected(result, Map.of(2L, "a quoted field is not closed on its line (field 3)"));
        assertThat(rows())
                .containsExactly(
                        "2026-11-02|North|Paper|1|1.00|1.00|0.08|1.08", "2026-11-03|East|Desk|2|3.00|6.00|0.48|6.48");
    }

    @Test
    void rowThatIsNotUtf8IsRejectedAtItsLineAndTheImportGoesOn(@TempDir Path directory) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("Date,Region,Product,Qty,Cost\n2026-11-01,North,Caf".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xe9);
        bytes.writeBytes(" cr\u00e8me,1,1.00\n2026-11-02,North,Paper,1,1.00\n".getBytes(StandardCharsets.UTF_8));
        Path file = write(directory, "windows-1252.csv", bytes.toByteArray());

        SaleImporter.Result result = importFile(file);

        assertRejected(result, Map.of(2L, "the row holds bytes that are not UTF-8 text"));
        assertThat(rows()).containsExactly("2026-11-02|North|Paper|1|1.00|1.00|0.08|1.08");
    }

    @Test
    void semicolonSeparatedFileIsRefusedWithAHint() throws Exception {
        SaleImporter.Result result = importText("Date;Region;Product;Qty;Cost\n2026-11-01;North;Paper;1;1.00\n");

        assertThat(result.fileProblem())
                .startsWith("line 1: the header lacks column(s)")
                .endsWith("(this file seems to use semicolons)");
        assertThat(result.rejected()).as("a header is not a rejected row").isZero();
        assertThat(result.dataRows()).isEqualTo(1);
        assertThat(result.imported()).isZero();
    }

    @Test
    void aHeaderThatCannotBeUsedIsTheFilesProblemAndItsDataRowsAreCounted() throws Exception {
        SaleImporter.Result result = importText("Date,Region,Product,Quantity,Cost\n2026-11-01,North,Paper,1,1.00\n\n"
                + "2026-11-02,North,Paper,2,1.00\n2026-11-03,North,Paper,3,1.00\n");

        assertThat(result.fileProblem())
                .isEqualTo(
                        "line 1: the header lacks column(s) Qty; expected Date,Region,Product,Qty,Cost[,Amt,Tax,Total]");
        assertThat(result.rejected()).isZero();
        assertThat(result.rejections()).isEmpty();
        assertThat(result.dataRows()).isEqualTo(3);
        assertThat(result.imported()).isZero();
        assertThat(count("SELECT COUNT(*) FROM sale")).isZero();
    }

    @Test
    void rowsWithTheirOwnTaxAtAnotherRateAreStoredAsGivenAndCountedWhileFiguresThatDoNotAddUpAreRejected()
            throws Exception {
        String csv = HEADER
                + "2025-06-01,North,Paper,10,10.00,100.00,5.00,105.00\n" // last year's 5 %
                + "2026-11-01,East,Paper,10,10.00,100.00,20.00,120.00\n" // another country's 20 %
                + "2026-11-02,East,Paper,10,10.00,100.00,8.00,108.00\n" // the branch's 8 %
                + "2026-11-03,West,Paper,10,10.00,,,119.00\n" // a Total alone: 19 %
                + "2026-11-04,West,Paper,10,10.00,100.00,5.00,108.00\n" // does not add up
                + "2026-11-05,West,Paper,10,10.00,100.00,-1.00,99.00\n" // a negative tax
                + "2026-11-06,West,Paper,10,10.00,99.00,7.92,106.92\n"; // Amt is not Qty x Cost

        SaleImporter.Result result = importText(csv);

        assertThat(result.imported()).isEqualTo(4);
        assertThat(result.otherRate()).isEqualTo(3);
        assertThat(result.dataRows()).isEqualTo(7);
        assertRejected(
                result,
                Map.of(
                        6L,
                        "Total: 108.00 does not match Amt + Tax = 105.00",
                        7L,
                        "Tax: -1.00 gives a tax of -1.00, which is not between 0 and Amt = 100.00",
                        8L,
                        "Amt: 99.00 does not match Qty x Cost = 100.00"));
        assertThat(rows())
                .containsExactly(
                        "2025-06-01|North|Paper|10|10.00|100.00|5.00|105.00",
                        "2026-11-01|East|Paper|10|10.00|100.00|20.00|120.00",
                        "2026-11-02|East|Paper|10|10.00|100.00|8.00|108.00",
                        "2026-11-03|West|Paper|10|10.00|100.00|19.00|119.00");
    }

    @Test
    void beyondAThousandRejectedRowsAllAreCountedAndMarkedButOnlyTheFirstThousandListed() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 1_500; i++) {
            csv.append("2026-11-01,North,Paper,0,1.00,,,\n");
        }
        csv.append("2026-11-01,North,Paper,1,1.00,,,\n");

        SaleImporter.Result result = importText(csv.toString());

        assertThat(result.rejected()).isEqualTo(1_500);
        assertThat(result.allListed()).isFalse();
        assertThat(result.rejections()).hasSize(SaleImporter.MAX_LISTED_REJECTIONS);
        assertThat(result.rejections().get(999))
                .isEqualTo(new Rejection(1_001, "Qty: must be a whole number from 1 to 100000"));
        assertThat(result.wasRejected(2)).isTrue();
        assertThat(result.wasRejected(1_501)).isTrue();
        assertThat(result.wasRejected(1_502)).isFalse();
        assertThat(result.rejectedLines().cardinality()).isEqualTo(1_500);
        assertThat(result.imported()).isEqualTo(1);
    }

    @Test
    void cancelStopsTheImportEvenWhileEveryRowIsRejected() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 2_000; i++) {
            csv.append(i % 4 == 0 ? "2026-11-01,North,Paper,1,1.00,,,\n" : "2026-11-01,North,Paper,0,1.00,,,\n");
        }
        List<Long> progress = new ArrayList<>();

        SaleImporter.Result result = new SaleImporter(branch.saleService())
                .importCsv(
                        new StringReader(csv.toString()),
                        (chars, imported, rejected) -> progress.add(rejected),
                        () -> progress.size() == 2);

        assertThat(result.cancelled()).isTrue();
        assertThat(progress).containsExactly(375L, 750L);
        assertThat(result.imported()).isEqualTo(250);
        assertThat(result.rejected()).isEqualTo(750);
        assertThat(count("SELECT COUNT(*) FROM sale")).isEqualTo(250);
    }

    @Test
    void threeThousandRowsImportCompletelyWithGaplessChanges(@TempDir Path directory) throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        BigDecimal expectedTotal = BigDecimal.ZERO;
        for (int i = 0; i < 3_000; i++) {
            int qty = 1 + i % 50;
            BigDecimal cost = new BigDecimal(100 + i).movePointLeft(2);
            BigDecimal amt = cost.multiply(BigDecimal.valueOf(qty));
            expectedTotal = expectedTotal
                    .add(amt)
                    .add(amt.multiply(new BigDecimal("0.08")).setScale(2, RoundingMode.HALF_UP));
            csv.append("2026-11-")
                    .append(String.format("%02d", 1 + i % 28))
                    .append(",North,\"Caf\u00e9 cr\u00e8me ")
                    .append(i)
                    .append("\",")
                    .append(qty)
                    .append(',')
                    .append(cost.toPlainString())
                    .append(",,,\r\n");
        }
        Path file = write(directory, "three-thousand.csv", csv.toString().getBytes(StandardCharsets.UTF_8));

        SaleImporter.Result result = importFile(file);

        assertThat(result.rejected()).isZero();
        assertThat(result.imported()).isEqualTo(3_000);
        assertThat(count("SELECT COUNT(*) FROM sale")).isEqualTo(3_000);
        assertThat(count("SELECT COUNT(DISTINCT product) FROM sale")).isEqualTo(3_000);
        assertThat(decimal("SELECT SUM(total) FROM sale")).isEqualByComparingTo(expectedTotal);
        assertThat(count("SELECT COUNT(*) FROM outbox")).isEqualTo(3_000);
        assertThat(count("SELECT MAX(seq) - MIN(seq) + 1 FROM outbox")).isEqualTo(3_000);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private SaleImporter.Result importText(String csv) throws IOException {
        return new SaleImporter(branch.saleService())
                .importCsv(new StringReader(csv), (chars, imported, rejected) -> {}, () -> false);
    }

    private SaleImporter.Result importFile(Path file) throws IOException {
        try (Reader reader = SaleImporter.open(file)) {
            return new SaleImporter(branch.saleService())
                    .importCsv(reader, (chars, imported, rejected) -> {}, () -> false);
        }
    }

    private static Path write(Path directory, String name, byte[] content) throws IOException {
        return Files.write(directory.resolve(name), content);
    }

    /** Exactly these lines were rejected, each with a reason containing the given text. */
    private static void assertRejected(SaleImporter.Result result, Map<Long, String> expected) {
        assertThat(result.rejections())
                .extracting(Rejection::line)
                .containsExactlyElementsOf(expected.keySet().stream().sorted().toList());
        for (Rejection rejection : result.rejections()) {
            assertThat(rejection.reason())
                    .as("reason for line %d", rejection.line())
                    .contains(expected.get(rejection.line()));
        }
        assertThat(result.rejected()).isEqualTo(expected.size());
        assertThat(result.allListed()).isTrue();
        assertThat(result.cancelled()).isFalse();
    }

    /** The branch's sales in the order they were saved, as "date|region|product|qty|cost|amt|tax|total". */
    private List<String> rows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT sale_date, region, product, qty, cost, amt, tax, total FROM sale ORDER BY last_seq");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(String.join(
                        "|",
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8)));
            }
        }
        return rows;
    }

    private long count(String sql) throws SQLException {
        return decimal(sql).longValueExact();
    }

    private BigDecimal decimal(String sql) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }
}
