package io.prefixflow.runtime.structured;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/** Checks texts against JSON schemas with an independent validator (networknt json-schema-validator). */
public final class SchemaValidation {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private SchemaValidation() {
    }

    /** Fails unless {@code text} is JSON valid against {@code schema}. */
    public static void assertValid(String schema, String text) {
        List<Error> errors;
        try {
            errors = REGISTRY.getSchema(schema).validate(text, InputFormat.JSON);
        } catch (RuntimeException e) {
            fail("'" + text + "' does not parse as JSON (" + e + ") for schema " + schema);
            return;
        }
        assertTrue(errors.isEmpty(), () -> "'" + text + "' is not valid against " + schema + ": " + errors);
    }
}
