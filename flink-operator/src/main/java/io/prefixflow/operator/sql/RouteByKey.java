package io.prefixflow.operator.sql;

import org.apache.flink.table.annotation.ArgumentHint;
import org.apache.flink.table.annotation.ArgumentTrait;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.ProcessTableFunction;
import org.apache.flink.types.Row;

/**
 * A prefix-routing step for SQL, a process table function: it passes every row through (plus a column
 * {@code routed}, always TRUE, since a function must output something), hash-partitioned by its
 * {@code PARTITION BY} columns, so the {@code ML_PREDICT} right after it (same parallelism, forward connection)
 * serves all rows of one key (a document or conversation id, a prompt template's name) in one slot, on one
 * engine and its prefix cache.
 *
 * <pre>{@code
 * CREATE TEMPORARY SYSTEM FUNCTION ROUTE_BY_KEY AS 'io.prefixflow.operator.sql.RouteByKey';
 * CREATE TEMPORARY VIEW routed AS SELECT * FROM ROUTE_BY_KEY(input => TABLE requests PARTITION BY doc_id);
 * SELECT id, completion FROM ML_PREDICT(TABLE routed, MODEL m, DESCRIPTOR(prompt));
 * }</pre>
 *
 * <p>NOTE: unlike the job's cache-aware router it is not load-aware: one hot key stays on one slot. It keeps
 * no state. A job that calls it twice must give each call its own {@code uid => '...'}.
 */
@FunctionHint(output = @DataTypeHint("ROW<routed BOOLEAN>"))
public final class RouteByKey extends ProcessTableFunction<Row> {
    private static final long serialVersionUID = 1L;

    /** Emits the row as it is (its columns pass through). */
    public void eval(@ArgumentHint({ArgumentTrait.SET_SEMANTIC_TABLE, ArgumentTrait.PASS_COLUMNS_THROUGH}) Row input) {
        collect(Row.of(true));
    }
}
