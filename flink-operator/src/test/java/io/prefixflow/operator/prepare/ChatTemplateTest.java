package io.prefixflow.operator.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.operator.testing.SharedData;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real models' chat templates, rendered for system, user and assistant turns. */
class ChatTemplateTest {
    private static final List<ChatMessage> CONVERSATION = List.of(
            new ChatMessage("system", "You are terse."),
            new ChatMessage("user", "Hi there"),
            new ChatMessage("assistant", "Hello."),
            new ChatMessage("user", "What is a KV cache?"));

    private static ChatTemplate template(String file, String bos, String eos) throws Exception {
        return new ChatTemplate(Files.readString(SharedData.chatTemplate(file)), bos, eos);
    }

    @Test
    void qwen25() throws Exception {
        ChatTemplate qwen = template("Qwen-Qwen2.5-7B-Instruct.jinja", "", "<|im_end|>");
        String turns = "<|im_start|>system\nYou are terse.<|im_end|>\n"
                + "<|im_start|>user\nHi there<|im_end|>\n"
                + "<|im_start|>assistant\nHello.<|im_end|>\n"
                + "<|im_start|>user\nWhat is a KV cache?<|im_end|>\n";
        assertEquals(turns + "<|im_start|>assistant\n", qwen.render(CONVERSATION, true));
        assertEquals(turns, qwen.render(CONVERSATION, false));
        assertEquals("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant."
                        + "<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                qwen.render(List.of(new ChatMessage("user", "Hi")), true));
    }

    @Test
    void llama32() throws Exception {
        ChatTemplate llama = template("meta-llama-Llama-3.2-3B-Instruct.jinja", "<|begin_of_text|>", "<|eot_id|>");
        String expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are terse.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nWhat is a KV cache?<|eot_id|>";
        assertEquals(expected + "<|start_header_id|>assistant<|end_header_id|>\n\n", llama.render(CONVERSATION, true));
        assertEquals(expected, llama.render(CONVERSATION, false));
        String noSystem = llama.render(List.of(new ChatMessage("user", "  padded  ")), true);
        assertTrue(noSystem.contains("Today Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
                + "padded<|eot_id|>"), noSystem);
    }

    @Test
    void phi35() throws Exception {
        ChatTemplate phi = template("microsoft-Phi-3.5-mini-instruct.jinja", "<s>", "<|endoftext|>");
        String turns = "<|system|>\nYou are terse.<|end|>\n<|user|>\nHi there<|end|>\n"
                + "<|assistant|>\nHello.<|end|>\n<|user|>\nWhat is a KV cache?<|end|>\n";
        assertEquals(turns + "<|assistant|>\n", phi.render(CONVERSATION, true));
        assertEquals(turns + "<|endoftext|>", phi.render(CONVERSATION, false));
    }

    @Test
    void raiseExceptionFailsWithTheTemplatesMessage() {
        ChatTemplate strict = new ChatTemplate(
                "{% if messages[0]['role'] != 'user' %}{{ raise_exception('first turn must be user') }}{% endif %}ok",
                "", "");
        assertEquals("ok", strict.render(List.of(new ChatMessage("user", "x")), true));
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> strict.render(List.of(new ChatMessage("assistant", "x")), true));
        assertTrue(e.getMessage().contains("first turn must be user"), e.getMessage());
    }
}
