package io.prefixflow.jobs.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

/** The table and JSON Lines forms of query rows, updates of a streaming aggregate included. */
class RowPrintersTest {
    @Test
    void jsonLinesKeepTypesAndMarkUpdates() {
        StringWriter out = new StringWriter();
        JsonLinesPrinter printer = new JsonLinesPrinter(new PrintWriter(out));
        printer.start(List.of("id", "n", "ok", "text"));
        printer.row(Row.of("a", 3, true, null));
        printer.row(Row.ofKind(RowKind.UPDATE_BEFORE, "a", 3, true, "x\ny"));
        printer.end();
        assertEquals(List.of("{\"id\":\"a\",\"n\":3,\"ok\":true,\"text\":null}",
                "{\"op\":\"-U\",\"id\":\"a\",\"n\":3,\"ok\":true,\"text\":\"x\\ny\"}"), out.toString().lines().toList());
    }

    @Test
    void tableIsAsWideAsItsWidestValueAndShowsKindsOnlyWhenNeeded() {
        StringWriter out = new StringWriter();
        TablePrinter printer = new TablePrinter(new PrintWriter(out));
        printer.start(List.of("id", "completion"));
        printer.row(Row.of("p1", "a\nb"));
        printer.row(Row.of("p22", null));
        printer.end();
        assertEquals(List.of(
                "+-----+------------+",
                "| id  | completion |",
                "+-----+------------+",
                "| p1  | a\\nb       |",
                "| p22 | <NULL>     |",
                "+-----+------------+",
                "2 rows"), out.toString().lines().toList());

        StringWriter updates = new StringWriter();
        TablePrinter withKinds = new TablePrinter(new PrintWriter(updates));
        withKinds.start(List.of("n"));
        withKinds.row(Row.ofKind(RowKind.UPDATE_AFTER, 1));
        withKinds.end();
        assertEquals("| op | n |", updates.toString().lines().toList().get(1));
        assertEquals("| +U | 1 |", updates.toString().lines().toList().get(3));
    }
}
