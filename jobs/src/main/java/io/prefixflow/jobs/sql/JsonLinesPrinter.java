package io.prefixflow.jobs.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.List;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * One JSON object per row, column names as keys, printed as the row arrives. Numbers, booleans and strings keep
 * their JSON types, NULL is {@code null}, anything else is its string form. A row that is not an insertion (an
 * update or retraction of a streaming aggregate) also carries {@code "op"}: {@code -U}, {@code +U} or {@code -D}.
 */
public final class JsonLinesPrinter implements RowPrinter {
    private final PrintWriter out;
    private final ObjectMapper mapper = new ObjectMapper();
    private List<String> columnNames;

    public JsonLinesPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void start(List<String> columnNames) {
        this.columnNames = columnNames;
    }

    @Override
    public void row(Row row) {
        ObjectNode node = mapper.createObjectNode();
        if (row.getKind() != RowKind.INSERT) {
            node.put("op", row.getKind().shortString());
        }
        for (int i = 0; i < columnNames.size(); i++) {
            put(node, columnNames.get(i), row.getField(i));
        }
        try {
            out.println(mapper.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a row as JSON: " + e.getMessage(), e);
        }
        out.flush();
    }

    @Override
    public void end() {
        out.flush();
    }

    private static void put(ObjectNode node, String name, Object value) {
        if (value == null) {
            node.putNull(name);
        } else if (value instanceof String s) {
            node.put(name, s);
        } else if (value instanceof Integer v) {
            node.put(name, v);
        } else if (value instanceof Long v) {
            node.put(name, v);
        } else if (value instanceof Short v) {
            node.put(name, v);
        } else if (value instanceof Byte v) {
            node.put(name, v.intValue());
        } else if (value instanceof Double v) {
            node.put(name, v);
        } else if (value instanceof Float v) {
            node.put(name, v);
        } else if (value instanceof BigDecimal v) {
            node.put(name, v);
        } else if (value instanceof Boolean v) {
            node.put(name, v);
        } else {
            node.put(name, String.valueOf(value));
        }
    }
}
