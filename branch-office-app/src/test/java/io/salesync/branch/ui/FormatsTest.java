package io.salesync.branch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void moneyHasTwoDecimalsAndGroupedThousandsWithoutFloatingPoint() {
        assertThat(Formats.money(new BigDecimal("1234.5"))).isEqualTo("1,234.50");
        assertThat(Formats.money(new BigDecimal("0.005"))).isEqualTo("0.01");
        assertThat(Formats.money(new BigDecimal("999999999999.99"))).isEqualTo("999,999,999,999.99");
        assertThat(Formats.money(new BigDecimal("-3"))).isEqualTo("-3.00");
        assertThat(Formats.money(null)).isEmpty();
    }

    @Test
    void csvFieldsWithCommasQuotesOrLineBreaksAreQuoted() throws IOException {
        StringWriter out = new StringWriter();

        CsvTransfers.writeLine(
                out, List.of("2026-11-26", "O'Brien \"North\"", "Paper, A4", "line\nbreak", "\u6771\u4eac"));

        assertThat(out.toString())
                .isEqualTo("2026-11-26,\"O'Brien \"\"North\"\"\",\"Paper, A4\",\"line\nbreak\",\u6771\u4eac\r\n");
    }
}
