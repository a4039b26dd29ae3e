package io.salesync.headoffice.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.headoffice.model.SaleRow;
import io.salesync.headoffice.model.SalesFilter;
import io.salesync.headoffice.model.SalesSort;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import javax.swing.event.TableModelEvent;
import org.junit.jupiter.api.Test;

/** The lazy model's bookkeeping, without a window (the model is plain Swing data, no display needed). */
class LazySalesTableModelTest {

    private final List<Long> requested = new ArrayList<>();
    private final LazySalesTableModel model =
            new LazySalesTableModel((generation, filter, sort, page) -> requested.add(page));

    @Test
    void aMissingPageIsAskedForOnceAndShownWhenItArrives() {
        model.replace(SalesFilter.ALL, SalesSort.DEFAULT, 1_000_000, Map.of(), true);

        assertThat(model.getValueAt(450_123, 0)).isNull();
        assertThat(model.getValueAt(450_100, 3)).isNull();
        assertThat(requested).containsExactly(2250L);

        model.pageLoaded(model.generation(), 2250, rows(450_000, 200));
        assertThat(model.getValueAt(450_123, 3)).isEqualTo("P450123");
    }

    @Test
    void onlyAFewPagesAreKept() {
        model.replace(SalesFilter.ALL, SalesSort.DEFAULT, 1_000_000, Map.of(), true);
        LongStream.range(0, 100).forEach(page -> model.pageLoaded(model.generation(), page, rows(page * 200, 200)));
        assertThat(model.pagesHeld()).isEqualTo(LazySalesTableModel.MAX_PAGES);
    }

    @Test
    void aPageOfAnOlderGenerationIsDropped() {
        model.replace(SalesFilter.ALL, SalesSort.DEFAULT, 500, Map.of(), true);
        int old = model.generation();
        model.replace(SalesFilter.ALL, SalesSort.DEFAULT, 500, Map.of(), false);
        model.pageLoaded(old, 0, rows(0, 200));
        assertThat(model.pagesHeld()).isZero();
    }

    @Test
    void aLiveRefreshUpdatesInPlaceAndOnlyTouchesTheTail() {
        List<TableModelEvent> events = new ArrayList<>();
        model.replace(SalesFilter.ALL, SalesSort.DEFAULT, 10, Map.of(0L, rows(0, 10)), true);
        model.addTableModelListener(events::add);

        model.replace(SalesFilter.ALL, SalesSort.DEFAULT, 12, Map.of(0L, rows(0, 12)), false);

        assertThat(events)
                .extracting(TableModelEvent::getType, TableModelEvent::getFirstRow, TableModelEvent::getLastRow)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TableModelEvent.INSERT, 10, 11),
                        org.assertj.core.groups.Tuple.tuple(TableModelEvent.UPDATE, 0, 9));
        assertThat(model.rowOf("bo1", "s11")).hasValue(11);
    }

    private static List<SaleRow> rows(long first, int count) {
        List<SaleRow> rows = new ArrayList<>();
        for (long i = first; i < first + count; i++) {
            rows.add(new SaleRow(
                    "bo1",
                    "s" + i,
                    LocalDate.of(2026, 1, 1),
                    "North",
                    "P" + i,
                    1,
                    BigDecimal.ONE,
                    BigDecimal.ONE,
                    BigDecimal.ZERO,
                    BigDecimal.ONE));
        }
        return rows;
    }
}
