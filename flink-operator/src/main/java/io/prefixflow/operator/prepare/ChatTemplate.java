package io.prefixflow.operator.prepare;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.prefixflow.connectors.avro.ChatMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A model's Jinja chat template, rendered with a real Jinja engine (jinjava) the way Hugging Face
 * transformers does: {@code trim_blocks} and {@code lstrip_blocks} on, Jinja's whitespace control on
 * expressions and comments ({@code {{-}}, {@code {#-}}) and its operator precedence (jinjava's legacy
 * overrides), variables {@code messages} (each a
 * map with {@code role} and {@code content}), {@code add_generation_prompt}, {@code bos_token},
 * {@code eos_token}, and a {@code raise_exception(message)} function that fails the rendering.
 *
 * <p>NOTE: {@code strftime_now} is deliberately not defined, so templates that print a date (Llama 3.x)
 * fall back to their fixed one: the same request must always render to the same tokens, for the routing
 * key and for a replay after a failure.
 *
 * <p>Thread-confined: one instance per function instance.
 */
public final class ChatTemplate {
    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;

    /**
     * @param source   the template text
     * @param bosToken text of the model's BOS token ({@code ""} if none)
     * @param eosToken text of the model's EOS token ({@code ""} if none)
     */
    public ChatTemplate(String source, String bosToken, String eosToken) {
        this.source = Objects.requireNonNull(source, "source");
        this.bosToken = Objects.requireNonNull(bosToken, "bosToken");
        this.eosToken = Objects.requireNonNull(eosToken, "eosToken");
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUsePyishObjectMapper(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withHandleBackslashInQuotesOnly(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
        this.jinjava = new Jinjava(config);
        this.jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
    }

    /**
     * Renders the conversation.
     *
     * @param addGenerationPrompt whether to end with the header of an assistant turn, so the model answers
     * @throws ChatTemplateException if the template fails or raises an exception
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> turns = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", message.getRole());
            turn.put("content", message.getContent());
            turns.add(turn);
        }
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("messages", turns);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.put("bos_token", bosToken);
        bindings.put("eos_token", eosToken);
        RenderResult result;
        try {
            result = jinjava.renderForResult(source, bindings);
        } catch (RuntimeException e) {
            throw new ChatTemplateException("the chat template failed: " + rootMessage(e), e);
        }
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .toList();
        if (!fatal.isEmpty()) {
            throw new ChatTemplateException("the chat template failed: " + fatal.stream()
                    .map(e -> e.getException() != null ? rootMessage(e.getException()) : e.getMessage())
                    .collect(Collectors.joining("; ")));
        }
        return result.getOutput();
    }

    /** The template's {@code raise_exception}: fails the rendering with the template's message. */
    public static String raiseException(String message) {
        throw new ChatTemplateException("the chat template raised: " + message);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof ChatTemplateException) {
                break;
            }
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
