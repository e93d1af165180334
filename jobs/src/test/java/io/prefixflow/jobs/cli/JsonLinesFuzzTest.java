package io.prefixflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.serde.AvroBinary;
import io.prefixflow.connectors.validation.RequestValidator;
import io.prefixflow.runtime.sampling.SamplingParams;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Arbitrary text as one JSON Lines line of {@code produce} ({@link RequestJson}) and of {@code --prompts-file}
 * ({@link PromptsFile}): each either gives a value or fails with an {@link IllegalArgumentException} (which
 * the commands report with the line number), never anything else; a request {@code produce} accepts is valid and
 * encodes to Avro and back unchanged
 * (once its text has been through UTF-8). Seeds:
 * {@code src/test/resources/io/prefixflow/jobs/cli/JsonLinesFuzzTestInputs/<method>/}.
 */
class JsonLinesFuzzTest {
    private static final SamplingParams DEFAULTS = new SamplingParams(0f, 1f, 0, 7L, 16, List.of());

    private final AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);

    @FuzzTest
    void produceLine(byte[] bytes) throws Exception {
        String line = new String(bytes, StandardCharsets.UTF_8);
        InferenceRequest request;
        try {
            request = RequestJson.parse(line, "line-1");
        } catch (IllegalArgumentException refused) {
            assertNotNull(refused.getMessage());
            return;
        }
        assertTrue(RequestValidator.validate(request).isValid());
        // NOTE: UTF-8 cannot carry a lone surrogate (Java writes '?'), so compare once the text has been through
        // it; and records, not bytes, since a decoded metadata map need not keep the order it was written in.
        InferenceRequest once = codec.decode(codec.encode(request));
        assertEquals(once, codec.decode(codec.encode(once)));
    }

    @FuzzTest
    void promptsFileLine(byte[] bytes) {
        String line = new String(bytes, StandardCharsets.UTF_8);
        PromptLine prompt;
        try {
            prompt = PromptsFile.parse(1, line, DEFAULTS, null);
        } catch (IllegalArgumentException refused) {
            assertNotNull(refused.getMessage());
            return;
        }
        assertNotNull(prompt.prompt());
    }
}
