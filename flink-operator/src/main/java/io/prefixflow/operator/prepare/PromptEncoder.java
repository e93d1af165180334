package io.prefixflow.operator.prepare;

import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.operator.config.TemplateLimits;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a request's prompt into token ids: a plain prompt is encoded as the {@code generate} command does
 * (BOS by the model's rules); chat messages are rendered with the model's chat template (generation prompt
 * added) and encoded with its control tokens parsed, BOS added by the model's rules unless the template
 * already starts with it. Control token text inside a message's role or content stays text
 * ({@link ControlTokens#escape}).
 *
 * <p>Given the most tokens that fit, a prompt whose UTF-8 size alone proves it longer is refused with a
 * {@link PromptTooLongException} before it is tokenized: no token decodes to more than the vocabulary's longest
 * piece, and no text shrinks by more than {@value #MAX_SHRINK}x in decoding (SentencePiece reads the 3-byte
 * U+2581 back as a 1-byte space), so a prompt of {@code b} bytes has at least
 * {@code b / (MAX_SHRINK * longestPieceBytes)} tokens.
 */
public final class PromptEncoder {
    private final Model model;
    private final Tokenizer tokenizer;
    private final ChatTemplate chatTemplate;
    private final ControlTokens controlTokens;
    /** How many bytes of input one token may stand for at most (see the class comment). */
    private final long maxBytesPerToken;
    /** Most UTF-8 bytes a text may shrink by, per byte of its decoding; see the class comment. */
    private static final int MAX_SHRINK = 4;

    /**
     * @param model         a model with a tokenizer
     * @param controlTokens the model's control tokens ({@link ControlTokens#none()} if it has none)
     */
    public PromptEncoder(Model model, ControlTokens controlTokens) {
        this(model, controlTokens, TemplateLimits.DEFAULT);
    }

    /**
     * @param model          a model with a tokenizer
     * @param controlTokens  the model's control tokens ({@link ControlTokens#none()} if it has none)
     * @param templateLimits what one rendering of the model's chat template may cost
     */
    public PromptEncoder(Model model, ControlTokens controlTokens, TemplateLimits templateLimits) {
        this.model = model;
        this.tokenizer = model.tokenizer();
        if (tokenizer == null) {
            throw new IllegalArgumentException("model " + model.name() + " has no tokenizer, so prompts cannot be"
                    + " encoded; give prefixflow.model.tokenizer for a llama2.c checkpoint");
        }
        this.controlTokens = controlTokens;
        this.chatTemplate = model.chatTemplate() == null ? null
                : new ChatTemplate(model.chatTemplate(), tokenText(tokenizer.bosId()), tokenText(tokenizer.eosId()),
                        templateLimits);
        int longest = 1;
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            byte[] bytes = tokenizer.textBytes(id);
            longest = Math.max(longest, bytes == null ? 0 : bytes.length);
        }
        this.maxBytesPerToken = (long) MAX_SHRINK * longest;
    }

    /** The model's chat template, or null when it has none. */
    ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    /** The ids of a plain text prompt. */
    public int[] encodePrompt(String prompt) {
        return encodePrompt(prompt, Integer.MAX_VALUE);
    }

    /**
     * The ids of a plain text prompt.
     *
     * @throws PromptTooLongException when the prompt's size proves it has more than {@code maxTokens} tokens
     */
    public int[] encodePrompt(String prompt, int maxTokens) {
        checkSize(prompt, maxTokens);
        return tokenizer.encode(prompt, tokenizer.addBosByDefault());
    }

    /**
     * A lower bound on the tokens of {@code text}, from its UTF-8 size (BOS not counted), or {@code limit + 1}
     * once that passes {@code limit}: reads no further than needed.
     */
    long leastTokens(CharSequence text, long limit) {
        long maxBytes = limit >= Long.MAX_VALUE / maxBytesPerToken ? Long.MAX_VALUE : (limit + 1) * maxBytesPerToken;
        long bytes = 0;
        for (int i = 0, n = text.length(); i < n && bytes < maxBytes; i++) {
            char c = text.charAt(i);
            // NOTE: a surrogate counts 1 (a lone one encodes as '?'), so a pair counts 2 of its 4: still a lower bound.
            bytes += c < 0x80 || Character.isSurrogate(c) ? 1 : c < 0x800 ? 2 : 3;
        }
        return bytes / maxBytesPerToken;
    }

    private void checkSize(CharSequence text, int maxTokens) {
        long least = leastTokens(text, maxTokens);
        if (least > maxTokens) {
            throw new PromptTooLongException(least, maxTokens);
        }
    }

    /**
     * The ids of a conversation rendered with the model's chat template.
     *
     * @throws ChatTemplateException if the model has no chat template, or it fails to render
     */
    public int[] encodeChat(List<ChatMessage> messages) {
        return encodeChat(messages, Integer.MAX_VALUE);
    }

    /**
     * The ids of a conversation rendered with the model's chat template.
     *
     * @throws ChatTemplateException  if the model has no chat template, or it fails to render
     * @throws PromptTooLongException when the rendered prompt's size proves it has more than {@code maxTokens}
     *                                tokens
     */
    public int[] encodeChat(List<ChatMessage> messages, int maxTokens) {
        if (chatTemplate == null) {
            throw new ChatTemplateException("model " + model.name() + " has no chat template, so chat messages cannot"
                    + " be rendered; send a plain prompt instead, or serve a GGUF model that carries"
                    + " tokenizer.chat_template");
        }
        List<ChatMessage> escaped = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            escaped.add(new ChatMessage(controlTokens.escape(message.getRole()),
                    controlTokens.escape(message.getContent())));
        }
        String rendered = chatTemplate.render(escaped, true);
        checkSize(rendered, maxTokens);
        int[] ids = new int[Math.max(16, rendered.length() + 1)];
        int n = 0;
        boolean first = true;
        for (ControlTokens.Piece piece : controlTokens.split(rendered)) {
            if (first && tokenizer.addBosByDefault() && tokenizer.bosId() >= 0
                    && !(piece.isControl() && piece.tokenId() == tokenizer.bosId())) {
                ids[n++] = tokenizer.bosId();
            }
            first = false;
            int[] pieceIds = piece.isControl() ? new int[] {piece.tokenId()}
                    : tokenizer.encode(controlTokens.unescape(piece.text()), false);
            if (n + pieceIds.length > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(ids.length * 2, n + pieceIds.length));
            }
            System.arraycopy(pieceIds, 0, ids, n, pieceIds.length);
            n += pieceIds.length;
        }
        return Arrays.copyOf(ids, n);
    }

    private String tokenText(int id) {
        if (id < 0) {
            return "";
        }
        String control = controlTokens.textOf(id);
        if (control != null) {
            return control;
        }
        return new String(tokenizer.decode(id, id), StandardCharsets.UTF_8);
    }
}
