package io.prefixflow.jobs.sql;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * The rows of a query as a boxed text table, printed when the query ends (so the columns can be as wide as
 * their widest value), then the row count. A row that is not an insertion shows its kind in an {@code op}
 * column; newlines in values print as {@code \n}.
 */
public final class TablePrinter implements RowPrinter {
    private final PrintWriter out;
    private List<String> columnNames;
    private final List<Row> rows = new ArrayList<>();

    public TablePrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void start(List<String> columnNames) {
        this.columnNames = columnNames;
        rows.clear();
    }

    @Override
    public void row(Row row) {
        rows.add(row);
    }

    @Override
    public void end() {
        boolean withOp = rows.stream().anyMatch(r -> r.getKind() != RowKind.INSERT);
        List<String> header = new ArrayList<>();
        if (withOp) {
            header.add("op");
        }
        header.addAll(columnNames);
        List<List<String>> cells = new ArrayList<>();
        for (Row row : rows) {
            List<String> line = new ArrayList<>();
            if (withOp) {
                line.add(row.getKind().shortString());
            }
            for (int i = 0; i < columnNames.size(); i++) {
                line.add(text(row.getField(i)));
            }
            cells.add(line);
        }
        int[] widths = new int[header.size()];
        for (int c = 0; c < header.size(); c++) {
            widths[c] = header.get(c).length();
            for (List<String> line : cells) {
                widths[c] = Math.max(widths[c], line.get(c).length());
            }
        }
        String rule = rule(widths);
        out.println(rule);
        out.println(line(header, widths));
        out.println(rule);
        for (List<String> line : cells) {
            out.println(line(line, widths));
        }
        out.println(rule);
        out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
        out.flush();
    }

    private static String text(Object value) {
        return value == null ? "<NULL>" : String.valueOf(value).replace("\n", "\\n");
    }

    private static String rule(int[] widths) {
        StringBuilder b = new StringBuilder("+");
        for (int w : widths) {
            b.append("-".repeat(w + 2)).append('+');
        }
        return b.toString();
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder("|");
        for (int c = 0; c < cells.size(); c++) {
            b.append(' ').append(cells.get(c)).append(" ".repeat(widths[c] - cells.get(c).length())).append(" |");
        }
        return b.toString();
    }
}
