package io.prefixflow.runtime.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a byte-level BPE tokenizer cuts text into words before merging, chosen by GGUF's
 * {@code tokenizer.ggml.pre}.
 *
 * <p>NOTE: {@code \s} is written as {@code \p{IsWhite_Space}} (Unicode White_Space, which includes
 * U+00A0, U+3000 and friends, as llama.cpp's and Python's {@code \s} do), and {@code (?i:...)} stays
 * ASCII-only because Pattern gets no UNICODE_CASE flag: llama.cpp lower-cases only A-Z there.
 */
public enum BpePreTokenizer {
    /** GPT-2: {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}. */
    GPT2(false, "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"),
    /** Llama 3: case-insensitive contractions, numbers in groups of up to three; whole-word tokens skip merging. */
    LLAMA3(true, "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    /** Qwen2: Llama 3's expression with single digits. */
    QWEN2(false, "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");

    private final boolean ignoreMerges;
    private final Pattern pattern;

    BpePreTokenizer(boolean ignoreMerges, String regex) {
        this.ignoreMerges = ignoreMerges;
        this.pattern = Pattern.compile(regex.replace("\\S", "[^\\p{IsWhite_Space}]")
                .replace("\\s", "\\p{IsWhite_Space}"));
    }

    /**
     * The pre-tokenizer for a {@code tokenizer.ggml.pre} value, or {@code null} when it is not supported.
     * A missing value and {@code default} use GPT-2's expression.
     */
    static BpePreTokenizer forName(String pre) {
        if (pre == null) {
            return GPT2;
        }
        return switch (pre) {
            case "gpt-2", "default" -> GPT2;
            case "llama-bpe", "llama3", "llama-v3" -> LLAMA3;
            case "qwen2" -> QWEN2;
            default -> null;
        };
    }

    static final String SUPPORTED_NAMES = "'gpt-2', 'default', 'llama-bpe' ('llama3', 'llama-v3'), 'qwen2'";

    /** Whether a word that is itself a token is taken whole, without merging (llama.cpp's ignore_merges). */
    boolean ignoreMerges() {
        return ignoreMerges;
    }

    /** Cuts {@code text} into words: every match, and any text between matches as a word of its own. */
    public List<String> split(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() > end) {
                words.add(text.substring(end, m.start()));
            }
            if (m.end() > m.start()) {
                words.add(m.group());
            }
            end = m.end();
        }
        if (end < text.length()) {
            words.add(text.substring(end));
        }
        return words;
    }
}
