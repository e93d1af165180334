package io.prefixflow.operator.prepare;

import io.prefixflow.runtime.format.GgufFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The control tokens of a GGUF vocabulary ({@code <|im_start|>}, {@code <|eot_id|>}, ...), so that a rendered
 * chat template is tokenized as llama.cpp does with {@code parse_special = true}: their text becomes the
 * control token's id, and only the text between them goes through the tokenizer.
 *
 * <p>Only text the chat template itself writes is parsed this way. A plain {@code prompt} is tokenized as text,
 * and in chat messages the text of a control token is {@link #escape escaped} before rendering and
 * {@link #unescape restored} as text after splitting, so user input can never smuggle a control token in.
 */
public final class ControlTokens {
    /** GGUF {@code tokenizer.ggml.token_type} value of a control token. */
    private static final long GGUF_CONTROL = 3;
    private static final ControlTokens NONE = new ControlTokens(Map.of());

    /** Marks an escaped control token's text: {@code U+E000 nonce ':' index U+E001} (private-use characters). */
    private static final char MARK_START = '\uE000';
    private static final char MARK_END = '\uE001';

    private final Map<String, Integer> idByText;
    private final Pattern pattern;
    /** Control token texts by escape index. */
    private final List<String> texts;
    /** Decimal digits, so that case filters in a template leave the marks alone. */
    private final String nonce;
    private final Pattern mark;

    private ControlTokens(Map<String, Integer> idByText) {
        this.idByText = Map.copyOf(idByText);
        this.texts = List.copyOf(new java.util.TreeSet<>(idByText.keySet()));
        this.nonce = Long.toString(Math.floorMod(new java.security.SecureRandom().nextLong(), 1_000_000_000_000_000L));
        this.mark = Pattern.compile(MARK_START + nonce + ":(\\d{1,6})" + MARK_END);
        this.pattern = idByText.isEmpty() ? null : Pattern.compile(idByText.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote)
                .collect(Collectors.joining("|")));
    }

    /** No control tokens: the whole text is tokenized as text. */
    public static ControlTokens none() {
        return NONE;
    }

    /** The control tokens of the GGUF file at {@code spec}, or none when it is not a GGUF file. */
    public static ControlTokens of(String spec) {
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file) || !isGguf(file)) {
            return NONE;
        }
        GgufFile gguf = GgufFile.open(file);
        try {
            if (!gguf.has("tokenizer.ggml.tokens") || !gguf.has("tokenizer.ggml.token_type")) {
                return NONE;
            }
            String[] tokens = gguf.get("tokenizer.ggml.tokens", String[].class);
            long[] types = gguf.get("tokenizer.ggml.token_type", long[].class);
            Map<String, Integer> byText = new HashMap<>();
            for (int id = 0; id < Math.min(tokens.length, types.length); id++) {
                if (types[id] == GGUF_CONTROL && !tokens[id].isEmpty()) {
                    byText.put(tokens[id], id);
                }
            }
            return new ControlTokens(byText);
        } finally {
            gguf.close();
        }
    }

    /**
     * {@code userText} with the text of every control token replaced by a mark that no template filter changes
     * and that {@link #split} does not take for a control token; {@link #unescape} puts the text back.
     */
    public String escape(String userText) {
        if (pattern == null || userText == null) {
            return userText;
        }
        Matcher m = pattern.matcher(userText);
        if (!m.find()) {
            return userText;
        }
        StringBuilder out = new StringBuilder(userText.length() + 32);
        int at = 0;
        do {
            out.append(userText, at, m.start()).append(MARK_START).append(nonce).append(':')
                    .append(texts.indexOf(m.group())).append(MARK_END);
            at = m.end();
        } while (m.find());
        return out.append(userText, at, userText.length()).toString();
    }

    /** {@code text} with every mark {@link #escape} made turned back into the control token's text. */
    public String unescape(String text) {
        if (pattern == null || text.indexOf(MARK_START) < 0) {
            return text;
        }
        Matcher m = mark.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        while (m.find()) {
            int index = Integer.parseInt(m.group(1));
            out.append(text, at, m.start()).append(index < texts.size() ? texts.get(index) : m.group());
            at = m.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    /** The text of control token {@code id}, or null if it is not one. */
    public String textOf(int id) {
        for (Map.Entry<String, Integer> e : idByText.entrySet()) {
            if (e.getValue() == id) {
                return e.getKey();
            }
        }
        return null;
    }

    /** A table from text to id, for tests. */
    public static ControlTokens of(Map<String, Integer> idByText) {
        return new ControlTokens(idByText);
    }

    /**
     * Cuts {@code text} into pieces: a {@link Piece} with a control token id where the text of a control
     * token stands (longest first), and text pieces in between.
     */
    public List<Piece> split(String text) {
        List<Piece> pieces = new ArrayList<>();
        if (pattern == null) {
            pieces.add(new Piece(text, -1));
            return pieces;
        }
        Matcher m = pattern.matcher(text);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                pieces.add(new Piece(text.substring(at, m.start()), -1));
            }
            pieces.add(new Piece(null, idByText.get(m.group())));
            at = m.end();
        }
        if (at < text.length()) {
            pieces.add(new Piece(text.substring(at), -1));
        }
        return pieces;
    }

    private static boolean isGguf(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'G' && magic[1] == 'G' && magic[2] == 'U' && magic[3] == 'F';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * One piece of a split text.
     *
     * @param text    the text, or null for a control token
     * @param tokenId the control token's id, or -1 for text
     */
    public record Piece(String text, int tokenId) {
        public boolean isControl() {
            return tokenId >= 0;
        }
    }
}
