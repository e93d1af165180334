package io.prefixflow.operator.prepare;

import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a request's prompt into token ids: a plain prompt is encoded as the {@code generate} command does
 * (BOS by the model's rules); chat messages are rendered with the model's chat template (generation prompt
 * added) and encoded with its control tokens parsed, BOS added by the model's rules unless the template
 * already starts with it.
 */
public final class PromptEncoder {
    private final Model model;
    private final Tokenizer tokenizer;
    private final ChatTemplate chatTemplate;
    private final ControlTokens controlTokens;

    /**
     * @param model         a model with a tokenizer
     * @param controlTokens the model's control tokens ({@link ControlTokens#none()} if it has none)
     */
    public PromptEncoder(Model model, ControlTokens controlTokens) {
        this.model = model;
        this.tokenizer = model.tokenizer();
        if (tokenizer == null) {
            throw new IllegalArgumentException("model " + model.name() + " has no tokenizer, so prompts cannot be"
                    + " encoded; give prefixflow.model.tokenizer for a llama2.c checkpoint");
        }
        this.controlTokens = controlTokens;
        this.chatTemplate = model.chatTemplate() == null ? null
                : new ChatTemplate(model.chatTemplate(), tokenText(tokenizer.bosId()), tokenText(tokenizer.eosId()));
    }

    /** The ids of a plain text prompt. */
    public int[] encodePrompt(String prompt) {
        return tokenizer.encode(prompt, tokenizer.addBosByDefault());
    }

    /**
     * The ids of a conversation rendered with the model's chat template.
     *
     * @throws ChatTemplateException if the model has no chat template, or it fails to render
     */
    public int[] encodeChat(List<ChatMessage> messages) {
        if (chatTemplate == null) {
            throw new ChatTemplateException("model " + model.name() + " has no chat template, so chat messages cannot"
                    + " be rendered; send a plain prompt instead, or serve a GGUF model that carries"
                    + " tokenizer.chat_template");
        }
        String rendered = chatTemplate.render(messages, true);
        int[] ids = new int[Math.max(16, rendered.length() + 1)];
        int n = 0;
        boolean first = true;
        for (ControlTokens.Piece piece : controlTokens.split(rendered)) {
            if (first && tokenizer.addBosByDefault() && tokenizer.bosId() >= 0
                    && !(piece.isControl() && piece.tokenId() == tokenizer.bosId())) {
                ids[n++] = tokenizer.bosId();
            }
            first = false;
            int[] pieceIds = piece.isControl() ? new int[] {piece.tokenId()} : tokenizer.encode(piece.text(), false);
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
