package io.prefixflow.connectors.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Earlier versions of the wire schemas, kept as {@code .avsc} resources under
 * {@code io/prefixflow/connectors/avro/history/}, so that records producers wrote with them still decode.
 *
 * <p>NOTE: when a field is added to {@code InferenceRequest.avsc}, copy the schema as it was before into
 * the next {@code InferenceRequest.vN.avsc} and put it first in {@link #inferenceRequestWriters()}.
 */
public final class SchemaHistory {
    private static final String FOLDER = "/io/prefixflow/connectors/avro/history/";

    private SchemaHistory() {
    }

    /** Past writer schemas of {@code InferenceRequest}, newest first. */
    public static List<Schema> inferenceRequestWriters() {
        return List.of(load("InferenceRequest.v1.avsc"));
    }

    private static Schema load(String name) {
        try (InputStream in = SchemaHistory.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + FOLDER + name);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + FOLDER + name, e);
        }
    }
}
