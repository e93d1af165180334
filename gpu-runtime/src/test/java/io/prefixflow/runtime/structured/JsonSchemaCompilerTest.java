package io.prefixflow.runtime.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** What the JSON schema subset compiles to, checked against the schema's meaning and a validator. */
class JsonSchemaCompilerTest {
    @Property(tries = 60)
    void integerBoundsAreExact(@ForAll @IntRange(min = -1200, max = 1200) int a,
                               @ForAll @IntRange(min = 0, max = 1300) int width) {
        int lo = a;
        int hi = a + width;
        ByteDfa dfa = ResponseFormat.jsonSchema("{\"type\":\"integer\",\"minimum\":" + lo + ",\"maximum\":" + hi + "}")
                .compile();
        for (int v = lo - 40; v <= hi + 40; v++) {
            assertEquals(v >= lo && v <= hi, accepts(dfa, Integer.toString(v)), "value " + v + " in " + lo + ".." + hi);
        }
        assertFalse(accepts(dfa, "-0"));
        assertFalse(accepts(dfa, "0" + Math.max(1, lo)));
    }

    @Property(tries = 100)
    void randomSchemasEmitOnlyValidJson(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String schema = RandomSchemas.schema(random, 2);
        ByteDfa dfa = ResponseFormat.jsonSchema(schema).compile();
        boolean checked = false;
        for (int i = 0; i < 5; i++) {
            String text = RandomWalk.emit(dfa, random, 4000);
            if (text != null) {
                SchemaValidation.assertValid(schema, text);
                checked = true;
            }
        }
        net.jqwik.api.statistics.Statistics.collect(checked);
        // a schema none of whose walks ends checks nothing: most must
        net.jqwik.api.statistics.Statistics.coverage(c -> c.check(true).percentage(percent -> percent >= 50));
    }

    @Test
    void optionalPropertiesMayBeLeftOutButOrderIsDeclared() {
        ByteDfa dfa = ResponseFormat.jsonSchema("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"null\"},"
                + "\"b\":{\"type\":\"boolean\"},\"c\":{\"type\":\"null\"}},\"required\":[\"b\"],"
                + "\"additionalProperties\":false}").compile();
        assertTrue(accepts(dfa, "{\"b\":true}"));
        assertTrue(accepts(dfa, "{\"a\":null,\"b\":false,\"c\":null}"));
        assertTrue(accepts(dfa, "{\"b\":false,\"c\":null}"));
        assertFalse(accepts(dfa, "{\"a\":null}"), "b is required");
        assertFalse(accepts(dfa, "{\"b\":true,\"a\":null}"), "declared order");
        assertFalse(accepts(dfa, "{ \"b\":true}"), "no optional whitespace");
    }

    @Test
    void stringsHonourLengthEnumAndPattern() {
        ByteDfa bounded = ResponseFormat.jsonSchema("{\"type\":\"string\",\"minLength\":1,\"maxLength\":3}").compile();
        assertTrue(accepts(bounded, "\"\u4e2d\\n\""));
        assertFalse(accepts(bounded, "\"\""));
        assertFalse(accepts(bounded, "\"abcd\""));
        assertFalse(accepts(bounded, "\"a\nb\""), "a raw newline must be escaped");
        ByteDfa enumerated = ResponseFormat.jsonSchema("{\"enum\":[\"x\",1,null]}").compile();
        assertTrue(accepts(enumerated, "\"x\""));
        assertTrue(accepts(enumerated, "1"));
        assertFalse(accepts(enumerated, "\"y\""));
        ByteDfa pattern = ResponseFormat.jsonSchema("{\"type\":\"string\",\"pattern\":\"^[a-z]+\\\\d$\"}").compile();
        assertTrue(accepts(pattern, "\"abc1\""));
        assertFalse(accepts(pattern, "\"abc\""));
    }

    @Test
    void jsonObjectAcceptsNestedObjectsUpToTheDepth() {
        ByteDfa dfa = ResponseFormat.jsonObject().compile();
        assertTrue(accepts(dfa, "{}"));
        assertTrue(accepts(dfa, "{\"a\":[1,{\"b\":\"c\"}],\"d\":-2.5,\"e\":true}"));
        assertFalse(accepts(dfa, "[]"));
        assertTrue(dfa.isFinal(dfa.walk(dfa.start(), "{}".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void unsupportedFeaturesAreNamedWithTheirLocation() {
        assertMessage("{\"oneOf\":[{\"type\":\"null\"}]}", "'oneOf'");
        assertMessage("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/x\"}}}", "'$ref' at #/properties/a");
        assertMessage("{\"type\":\"string\",\"format\":\"date\"}", "'format'");
        assertMessage("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":{\"type\":\"string\"}}",
                "additionalProperties");
        assertMessage("{\"type\":\"integer\",\"minimum\":5,\"maximum\":4}", "minimum");
        assertMessage("not json", "not valid JSON");
    }

    private static void assertMessage(String schema, String expectedPart) {
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                () -> ResponseFormat.jsonSchema(schema).compile());
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }

    private static boolean accepts(ByteDfa dfa, String text) {
        return dfa.matches(text.getBytes(StandardCharsets.UTF_8));
    }
}
