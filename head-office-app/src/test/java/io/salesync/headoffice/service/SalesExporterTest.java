package io.salesync.headoffice.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.headoffice.model.SaleRow;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SalesExporterTest {

    @Test
    void aRowIsOneCsvLineWithExactMoney() {
        SaleRow row = new SaleRow(
                "bo1",
                "id",
                LocalDate.of(2026, 11, 26),
                "North",
                "Pen Set",
                3,
                new BigDecimal("12.50"),
                new BigDecimal("37.50"),
                new BigDecimal("3.00"),
                new BigDecimal("40.50"));
        assertThat(SalesExporter.line(row)).isEqualTo("bo1,2026-11-26,North,Pen Set,3,12.50,37.50,3.00,40.50\r\n");
    }

    @Test
    void textIsQuotedWhenItMustBe() {
        assertThat(SalesExporter.text("Paper, A4")).isEqualTo("\"Paper, A4\"");
        assertThat(SalesExporter.text("12\" ruler")).isEqualTo("\"12\"\" ruler\"");
    }

    @Test
    void textASpreadsheetWouldRunAsAFormulaIsDefused() {
        assertThat(SalesExporter.text("=SUM(A1)")).isEqualTo("'=SUM(A1)");
        assertThat(SalesExporter.text("-5% promo")).isEqualTo("'-5% promo");
        assertThat(SalesExporter.text("@home")).isEqualTo("'@home");
    }
}
