package io.prefixflow.operator.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.operator.config.TemplateLimits;
import io.prefixflow.operator.testing.SharedData;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile chat input: Jinja in a message is text, never code; a template that loops, grows or recurses without
 * end is stopped by its {@link TemplateLimits}, with a message naming the limit.
 */
class ChatTemplateLimitsTest {
    private static final String INJECTION = "{{ 7 * 7 }} {% for x in range(3) %}X{% endfor %} {{ raise_exception('boom') }}"
            + " {# comment #} {%- set y = 1 -%} {{ messages }}";

    @Test
    void jinjaInAMessageIsPrintedAsItIs() throws Exception {
        ChatTemplate qwen = new ChatTemplate(Files.readString(SharedData.chatTemplate("Qwen-Qwen2.5-7B-Instruct.jinja")),
                "", "<|im_end|>");
        String rendered = qwen.render(List.of(new ChatMessage("user", INJECTION)), true);
        assertTrue(rendered.contains("<|im_start|>user\n" + INJECTION + "<|im_end|>"), rendered);
        assertTrue(!rendered.contains("49") && !rendered.contains("XXX"), rendered);
    }

    @Test
    void jinjaInARoleIsPrintedAsItIs() {
        ChatTemplate plain = new ChatTemplate("{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}", "", "");
        assertEquals("[{{ 6 * 7 }}] {% if true %}yes{% endif %}\n",
                plain.render(List.of(new ChatMessage("{{ 6 * 7 }}", "{% if true %}yes{% endif %}")), false));
    }

    @Test
    @Timeout(30)
    void aTemplateThatLoopsForeverIsStoppedInTime() {
        ChatTemplate slow = new ChatTemplate("{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
                + "{% set x = a + b + c %}{% endfor %}{% endfor %}{% endfor %}done", "", "", new TemplateLimits(1 << 20, 300));
        long start = System.nanoTime();
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> slow.render(List.of(new ChatMessage("user", "hi")), true));
        assertTrue(e.getMessage().contains("prefixflow.limits.chat-template-timeout"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "stopped near its 300 ms budget");
        ChatTemplate fine = new ChatTemplate("ok", "", "", new TemplateLimits(1 << 20, 300));
        assertEquals("ok", fine.render(List.of(new ChatMessage("user", "hi")), true), "a later rendering still works");
    }

    @Test
    void aTemplateThatWritesTooMuchIsStopped() {
        ChatTemplate big = new ChatTemplate("{% for a in range(1000) %}{% for b in range(1000) %}0123456789"
                + "{% endfor %}{% endfor %}", "", "", new TemplateLimits(10_000, 10_000));
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> big.render(List.of(new ChatMessage("user", "hi")), true));
        assertTrue(e.getMessage().contains("prefixflow.limits.max-rendered-prompt-bytes"), e.getMessage());
    }

    @Test
    void aMessageThatMakesTheOutputTooBigIsStopped() {
        ChatTemplate echo = new ChatTemplate("{% for m in messages %}{{ m.content }}{% endfor %}", "", "",
                new TemplateLimits(1000, 10_000));
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> echo.render(List.of(new ChatMessage("user", "é".repeat(600))), true));
        assertTrue(e.getMessage().contains("prefixflow.limits.max-rendered-prompt-bytes"), e.getMessage());
    }

    @Test
    void aMacroThatCallsItselfIsStopped() {
        ChatTemplate recursive = new ChatTemplate("{% macro f(n) %}{{ n }}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
                "", "", new TemplateLimits(1 << 20, 5_000));
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> recursive.render(List.of(new ChatMessage("user", "hi")), true));
        assertTrue(e.getMessage().contains("cycle for 'f'"), e.getMessage());
    }
}
