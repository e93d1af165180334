package io.prefixflow.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.CompletionChunk;
import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.InferenceRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

/**
 * Guards compatible evolution: the fields without a default are exactly the original required
 * ones, so any field added later must come with a default (or this test fails), and a reader
 * of today's schema can read a record written with only the required fields.
 */
class SchemaEvolutionTest {
    private static final Map<Schema, Set<String>> REQUIRED = Map.of(
            InferenceRequest.getClassSchema(), Set.of("id", "tenant", "created_at"),
            Completion.getClassSchema(), Set.of("request_id", "tenant", "text", "prompt_tokens",
                    "completion_tokens", "finish_reason"),
            CompletionChunk.getClassSchema(), Set.of("request_id", "index"),
            DeadLetter.getClassSchema(), Set.of("topic", "partition", "offset", "timestamp", "reason"));

    @Test
    void onlyTheOriginalRequiredFieldsLackADefault() {
        REQUIRED.forEach((schema, required) -> assertThat(schema.getFields().stream()
                .filter(f -> !f.hasDefaultValue()).map(Schema.Field::name).collect(Collectors.toSet()))
                .as(schema.getName()).isEqualTo(required));
    }

    @Test
    void todaysReaderReadsAWriterThatHadOnlyTheRequiredFields() {
        REQUIRED.forEach((schema, required) -> {
            List<Schema.Field> minimal = schema.getFields().stream().filter(f -> required.contains(f.name()))
                    .map(f -> new Schema.Field(f, f.schema())).toList();
            Schema writer = Schema.createRecord(schema.getName(), null, schema.getNamespace(), false, minimal);
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(schema, writer).getType())
                    .as(schema.getName())
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        });
    }
}
