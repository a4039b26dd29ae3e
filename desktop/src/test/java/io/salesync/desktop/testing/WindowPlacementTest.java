package io.salesync.desktop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.desktop.WindowPlacement;
import java.awt.Rectangle;
import org.junit.jupiter.api.Test;

class WindowPlacementTest {

    private static final Rectangle SCREEN = new Rectangle(0, 0, 1920, 1080);

    @Test
    void readsFourNumbers() {
        assertThat(WindowPlacement.parse("10, 20,800,600")).contains(new Rectangle(10, 20, 800, 600));
    }

    @Test
    void ignoresAnythingElse() {
        assertThat(WindowPlacement.parse(null)).isEmpty();
        assertThat(WindowPlacement.parse("10,20,800")).isEmpty();
        assertThat(WindowPlacement.parse("a,b,c,d")).isEmpty();
        assertThat(WindowPlacement.parse("0,0,0,600")).isEmpty();
    }

    @Test
    void aWindowThatFitsStaysWhereItWasAskedFor() {
        assertThat(WindowPlacement.fit(new Rectangle(1190, 0, 730, 520), SCREEN))
                .isEqualTo(new Rectangle(1190, 0, 730, 520));
    }

    @Test
    void aWindowPartlyOffTheRightEdgeMovesLeftKeepingItsSize() {
        assertThat(WindowPlacement.fit(new Rectangle(1190, 520, 980, 560), SCREEN))
                .isEqualTo(new Rectangle(940, 520, 980, 560));
    }

    @Test
    void aWindowLargerThanTheScreenGetsTheScreen() {
        assertThat(WindowPlacement.fit(new Rectangle(-50, -20, 1440, 900), new Rectangle(0, 0, 800, 600)))
                .isEqualTo(new Rectangle(0, 0, 800, 600));
    }

    @Test
    void aSecondScreenToTheLeftIsRespected() {
        assertThat(WindowPlacement.fit(new Rectangle(-100, 10, 600, 400), new Rectangle(-1280, 0, 1280, 1024)))
                .isEqualTo(new Rectangle(-600, 10, 600, 400));
    }
}
