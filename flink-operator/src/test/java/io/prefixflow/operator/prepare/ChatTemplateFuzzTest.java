package io.prefixflow.operator.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.operator.config.ModelSpecs;
import io.prefixflow.operator.testing.SharedData;
import io.prefixflow.operator.testing.TestSettings;
import io.prefixflow.runtime.model.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real models' chat templates (Qwen 2.5, Llama 3.2, Phi 3.5) with hostile message contents (Jinja syntax,
 * control-token text, lone surrogates, NUL, anything): rendering never fails, every content appears in the
 * output exactly as sent (it is data, never code), and once encoded the conversation holds exactly the control
 * tokens the template wrote for the same turns with harmless contents, so no content can add, remove or fake a
 * turn. Seeds: {@code src/test/resources/io/prefixflow/operator/prepare/ChatTemplateFuzzTestInputs/hostileContent/}.
 */
class ChatTemplateFuzzTest {
    private static final List<String> TEMPLATES = List.of("Qwen-Qwen2.5-7B-Instruct.jinja",
            "meta-llama-Llama-3.2-3B-Instruct.jinja", "microsoft-Phi-3.5-mini-instruct.jinja");
    /**
     * Every control token text the three templates write. NOTE: ids past the 512-token test vocabulary, so that
     * no text can encode to one of them.
     */
    private static final ControlTokens CONTROL = ControlTokens.of(Map.of(
            "<|im_start|>", 1000, "<|im_end|>", 1001, "<|begin_of_text|>", 1002, "<|start_header_id|>", 1003,
            "<|end_header_id|>", 1004, "<|eot_id|>", 1005, "<|system|>", 1006, "<|user|>", 1007, "<|assistant|>", 1008,
            "<|end|>", 1009));
    private static final List<PromptEncoder> ENCODERS = encoders();

    @FuzzTest
    void hostileContent(FuzzedDataProvider data) {
        PromptEncoder encoder = ENCODERS.get(data.consumeInt(0, ENCODERS.size() - 1));
        List<ChatMessage> hostile = new ArrayList<>();
        List<ChatMessage> harmless = new ArrayList<>();
        if (data.consumeBoolean()) {
            String content = "[" + data.consumeString(200) + "]";
            hostile.add(new ChatMessage("system", content));
            harmless.add(new ChatMessage("system", "[x]"));
        }
        int turns = data.consumeInt(1, 4);
        for (int i = 0; i < turns; i++) {
            String role = i % 2 == 0 ? "user" : "assistant";
            // NOTE: brackets around the fuzzed text, so a template that trims the content keeps all of it.
            hostile.add(new ChatMessage(role, "[" + data.consumeString(200) + "]"));
            harmless.add(new ChatMessage(role, "[x]"));
        }
        String rendered = encoder.chatTemplate().render(hostile, true);
        for (ChatMessage m : hostile) {
            assertTrue(rendered.contains(m.getContent()),
                    () -> "content missing or changed: " + m.getContent() + "\nin: " + rendered);
        }
        assertEquals(controlIds(encoder.encodeChat(harmless)), controlIds(encoder.encodeChat(hostile)),
                "control tokens of the conversation");
    }

    private static List<Integer> controlIds(int[] ids) {
        List<Integer> control = new ArrayList<>();
        for (int id : ids) {
            if (id >= 1000) {
                control.add(id);
            }
        }
        return control;
    }

    private static List<PromptEncoder> encoders() {
        Model stories = ModelSpecs.load(TestSettings.stories());
        List<PromptEncoder> encoders = new ArrayList<>();
        for (String file : TEMPLATES) {
            try {
                String template = Files.readString(SharedData.chatTemplate(file));
                encoders.add(new PromptEncoder(new Model(stories.name(), stories.config(), stories.weights(),
                        stories.tokenizer(), stories.stopTokenIds(), template), CONTROL));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return encoders;
    }
}
