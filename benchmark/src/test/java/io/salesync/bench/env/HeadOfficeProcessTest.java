package io.salesync.bench.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.bench.env.HeadOfficeProcess.GcFigures;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadOfficeProcessTest {

    @Test
    void theGcLogGivesTheLargestHeapAfterAndBeforeACollectionAndThePauses() {
        GcFigures figures = HeadOfficeProcess.parseGcLog(List.of(
                "[0.012s][info][gc] Using G1",
                "[1.532s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 23M->5M(256M) 3.148ms",
                "[2.101s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 157M->11M(256M) 10.500ms",
                "[2.300s][info][gc] GC(2) Concurrent Mark Cycle 12.345ms",
                "[3.000s][info][gc] GC(3) Pause Remark 40M->38M(128M) 1.000ms"));
        assertThat(figures).isEqualTo(new GcFigures(3, 38, 157, 256, 14.6));
    }

    @Test
    void noCollectionIsNoFigure() {
        assertThat(HeadOfficeProcess.parseGcLog(List.of("[0.012s][info][gc] Using G1"))
                        .collections())
                .isZero();
    }
}
