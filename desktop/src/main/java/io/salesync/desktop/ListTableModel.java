package io.salesync.desktop;

import java.util.List;
import javax.swing.table.AbstractTableModel;

/**
 * A table model over an immutable list of records: named columns, and one value per record and
 * column. Subclasses say only how a record shows in a column. Event thread only.
 *
 * @param <T> the record shown in a row
 */
public abstract class ListTableModel<T> extends AbstractTableModel {

    private static final long serialVersionUID = 1L;

    private final String[] columns;
    private transient List<T> rows = List.of();

    protected ListTableModel(String... columns) {
        this.columns = columns.clone();
    }

    /** Replaces every row. */
    public void setRows(List<T> rows) {
        this.rows = List.copyOf(rows);
        fireTableDataChanged();
    }

    /** The record at a model index. */
    public T row(int modelIndex) {
        return rows.get(modelIndex);
    }

    public List<T> rows() {
        return rows;
    }

    /** How a record shows in a column. */
    protected abstract Object valueAt(T row, int column);

    @Override
    public final Object getValueAt(int row, int column) {
        return valueAt(rows.get(row), column);
    }

    @Override
    public int getRowCount() {
        return rows.size();
    }

    @Override
    public int getColumnCount() {
        return columns.length;
    }

    @Override
    public String getColumnName(int column) {
        return columns[column];
    }
}
