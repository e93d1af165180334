package io.prefixflow.jobs.sql;

import java.util.List;
import org.apache.flink.types.Row;

/** Prints the rows of one query. */
public interface RowPrinter {
    /** Called once before the rows, with the column names. */
    void start(List<String> columnNames);

    /** One row, as it arrives. */
    void row(Row row);

    /** After the last row. */
    void end();
}
