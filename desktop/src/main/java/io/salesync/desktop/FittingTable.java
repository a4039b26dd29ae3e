package io.salesync.desktop;

import java.awt.Dimension;
import javax.swing.JTable;
import javax.swing.JViewport;
import javax.swing.table.TableModel;

/**
 * A table that fills the width of its scroll pane while every column gets at least its minimum
 * width, and scrolls sideways (columns at their minimum) when the pane is narrower than that:
 * columns give way down to their minimum, never further, so a column whose minimum fits its
 * content is never cut.
 */
public class FittingTable extends JTable {

    private static final long serialVersionUID = 1L;

    public FittingTable(TableModel model) {
        super(model);
        setAutoResizeMode(AUTO_RESIZE_SUBSEQUENT_COLUMNS);
    }

    @Override
    public boolean getScrollableTracksViewportWidth() {
        return getParent() instanceof JViewport viewport && minimumWidth() <= viewport.getWidth();
    }

    @Override
    public Dimension getPreferredSize() {
        return new Dimension(minimumWidth(), super.getPreferredSize().height);
    }

    /** The sum of the columns' minimum widths. */
    public int minimumWidth() {
        int sum = 0;
        for (int i = 0; i < getColumnModel().getColumnCount(); i++) {
            sum += getColumnModel().getColumn(i).getMinWidth();
        }
        return sum;
    }
}
