package io.salesync.desktop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesync.desktop.WindowPlacement;
import java.awt.Rectangle;
import org.junit.jupiter.api.Test;

class WindowPlacementTest {

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
}
