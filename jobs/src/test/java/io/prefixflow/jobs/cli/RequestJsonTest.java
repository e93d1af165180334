package io.prefixflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.avro.Priority;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestJsonTest {
    @Test
    void readsEveryField() {
        InferenceRequest r = RequestJson.parse("{\"id\":\"a\",\"tenant\":\"t\",\"prompt\":\"Hi\",\"max_tokens\":9,"
                + "\"temperature\":0.5,\"top_p\":0.9,\"top_k\":4,\"seed\":7,\"stop\":\"x\",\"priority\":\"latency\","
                + "\"stream\":true,\"cache_key\":\"k\",\"metadata\":{\"m\":\"v\"}}", "line-1");
        assertEquals("a", r.getId());
        assertEquals(9, r.getMaxTokens());
        assertEquals(7L, r.getSeed());
        assertEquals(List.of("x"), r.getStop());
        assertEquals(Priority.LATENCY, r.getPriority());
        assertTrue(r.getStream());
        assertEquals("k", r.getCacheKey());
        InferenceRequest chat = RequestJson.parse("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "line-2");
        assertEquals("line-2", chat.getId());
        assertEquals("default", chat.getTenant());
    }

    @Test
    void readsTheResponseFormatInTheAvroShape() {
        InferenceRequest schema = RequestJson.parse("{\"prompt\":\"Hi\",\"response_format\":{\"type\":\"json_schema\","
                + "\"json_schema\":{\"type\":\"integer\"}}}", "x");
        assertEquals(io.prefixflow.connectors.avro.ResponseFormatType.JSON_SCHEMA, schema.getResponseFormat().getType());
        assertEquals("{\"type\":\"integer\"}", schema.getResponseFormat().getJsonSchema());
        InferenceRequest choice = RequestJson.parse("{\"prompt\":\"Hi\",\"response_format\":{\"type\":\"choice\","
                + "\"choices\":[\"a\",\"b\"]}}", "x");
        assertEquals(List.of("a", "b"), choice.getResponseFormat().getChoices());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestJson.parse(
                "{\"prompt\":\"a\",\"response_format\":{\"type\":\"regex\"}}", "x")).getMessage()
                .contains("needs a 'pattern'"));
    }

    @Test
    void badLinesSayWhy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestJson.parse("{nope", "x"))
                .getMessage().startsWith("not JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestJson.parse("{\"promt\":\"a\"}", "x"))
                .getMessage().contains("unknown key \"promt\""));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RequestJson.parse("{\"prompt\":\"a\",\"max_tokens\":0}", "x")).getMessage().contains("max_tokens"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestJson.parse("{\"max_tokens\":3}", "x"))
                .getMessage().contains("neither prompt nor messages"));
    }
}
