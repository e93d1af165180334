package io.prefixflow.operator.prepare;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.CollectionTooBigException;
import com.hubspot.jinjava.interpret.OutputTooBigException;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.errorcategory.BasicTemplateErrorCategory;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.operator.config.InferenceOptions;
import io.prefixflow.operator.config.TemplateLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>Hostile input: message contents and roles are data, never template code. Jinjava's nested interpretation
 * (re-rendering a value that contains {@code {{ }}}, on by default) is off, so a message holding
 * {@code {{ ... }}} or {@code {% ... %}} is printed as it is, control characters included
 * ({@link ControlCharMarks}). The template itself comes with a model file and is bounded by
 * {@link TemplateLimits}: its output and every string and list it builds by
 * {@link TemplateLimits#maxOutputBytes()}; a macro that calls itself fails the rendering; and a rendering runs on
 * a helper thread that is interrupted (jinjava checks at every expression) after
 * {@link TemplateLimits#timeoutMs()}. Each of these fails the rendering with a {@link ChatTemplateException}
 * naming the limit.
 *
 * <p>Thread-confined: one instance per function instance.
 */
public final class ChatTemplate {
    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final TemplateLimits limits;
    private final ControlCharMarks controlChars = new ControlCharMarks();
    private final Jinjava jinjava;
    /** Runs renderings, so that one that does not finish can be given up; replaced after a timeout. */
    private ThreadPoolExecutor renderThread;

    /**
     * @param source   the template text
     * @param bosToken text of the model's BOS token ({@code ""} if none)
     * @param eosToken text of the model's EOS token ({@code ""} if none)
     */
    public ChatTemplate(String source, String bosToken, String eosToken) {
        this(source, bosToken, eosToken, TemplateLimits.DEFAULT);
    }

    /**
     * @param source   the template text
     * @param bosToken text of the model's BOS token ({@code ""} if none)
     * @param eosToken text of the model's EOS token ({@code ""} if none)
     * @param limits   what one rendering may cost
     */
    public ChatTemplate(String source, String bosToken, String eosToken, TemplateLimits limits) {
        this.source = Objects.requireNonNull(source, "source");
        this.bosToken = Objects.requireNonNull(bosToken, "bosToken");
        this.eosToken = Objects.requireNonNull(eosToken, "eosToken");
        this.limits = Objects.requireNonNull(limits, "limits");
        int maxSize = (int) Math.min(Integer.MAX_VALUE, limits.maxOutputBytes());
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withNestedInterpretationEnabled(false)
                .withEnableRecursiveMacroCalls(false)
                .withMaxOutputSize(limits.maxOutputBytes())
                .withMaxStringLength(limits.maxOutputBytes())
                .withMaxListSize(maxSize)
                .withMaxMapSize(maxSize)
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
            turn.put("role", controlChars.escape(message.getRole()));
            turn.put("content", controlChars.escape(message.getContent()));
            turns.add(turn);
        }
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("messages", turns);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.put("bos_token", bosToken);
        bindings.put("eos_token", eosToken);
        RenderResult result = renderWithinTime(bindings);
        // NOTE: jinjava only warns about a recursive macro call and renders it as nothing; here it fails.
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL
                        || e.getCategory() == BasicTemplateErrorCategory.CYCLE_DETECTED)
                .toList();
        if (!fatal.isEmpty()) {
            throw new ChatTemplateException("the chat template failed: " + fatal.stream()
                    .map(e -> e.getException() != null ? describe(e.getException()) : e.getMessage())
                    .collect(Collectors.joining("; ")));
        }
        String output = controlChars.restore(result.getOutput());
        if (output.getBytes(StandardCharsets.UTF_8).length > limits.maxOutputBytes()) {
            throw new ChatTemplateException("the chat template failed: " + outputTooBig());
        }
        return output;
    }

    private RenderResult renderWithinTime(Map<String, Object> bindings) {
        if (renderThread == null) {
            renderThread = newRenderThread();
        }
        Future<RenderResult> rendering = renderThread.submit(() -> jinjava.renderForResult(source, bindings));
        try {
            return rendering.get(limits.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            giveUp(rendering);
            throw new ChatTemplateException("the chat template did not finish within " + limits.timeoutMs()
                    + " ms, the limit " + InferenceOptions.CHAT_TEMPLATE_TIMEOUT.key());
        } catch (InterruptedException e) {
            giveUp(rendering);
            Thread.currentThread().interrupt();
            throw new ChatTemplateException("interrupted while rendering the chat template", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ChatTemplateException template) {
                throw template;
            }
            if (cause instanceof StackOverflowError) {
                throw new ChatTemplateException("the chat template failed: it nests or recurses too deeply", cause);
            }
            throw new ChatTemplateException("the chat template failed: " + describe(cause), cause);
        }
    }

    /** Interrupts a rendering that overran and leaves its thread behind; the next rendering gets a new one. */
    private void giveUp(Future<RenderResult> rendering) {
        rendering.cancel(true);
        renderThread.shutdownNow();
        renderThread = null;
    }

    private static ThreadPoolExecutor newRenderThread() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "prefixflow-chat-template");
                    thread.setDaemon(true);
                    return thread;
                });
        // NOTE: an idle ChatTemplate holds no thread after a few seconds.
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutputTooBigException) {
                return outputTooBig();
            }
            if (c instanceof CollectionTooBigException big) {
                return "it built a list or map of " + big.getSize() + " items, over the limit of " + big.getMaxSize()
                        + " (" + InferenceOptions.MAX_RENDERED_PROMPT_BYTES.key() + ")";
            }
            if (c instanceof StackOverflowError) {
                return "it nests or recurses too deeply";
            }
        }
        return rootMessage(t);
    }

    private String outputTooBig() {
        return "its output is longer than " + limits.maxOutputBytes() + " bytes, the limit "
                + InferenceOptions.MAX_RENDERED_PROMPT_BYTES.key();
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
