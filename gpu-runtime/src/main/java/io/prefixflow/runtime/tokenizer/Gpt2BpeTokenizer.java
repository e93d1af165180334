package io.prefixflow.runtime.tokenizer;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.model.ModelFormatException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * llama.cpp's byte-level BPE tokenizer for GGUF files with {@code tokenizer.ggml.model = gpt2} (GPT-2,
 * Llama 3, Qwen2 and others).
 *
 * <p>Encoding: user-defined tokens are cut out first; each remaining fragment is split into words by the
 * {@link BpePreTokenizer}; a word's UTF-8 bytes become GPT-2's byte characters, and adjacent symbols merge
 * by the rank of the pair in {@code tokenizer.ggml.merges} (lowest rank first, ties to the leftmost pair).
 * Control-token text such as {@code <|endoftext|>} is not parsed as special.
 */
public final class Gpt2BpeTokenizer implements Tokenizer {
    private final Vocabulary vocabulary;
    private final Map<String, Integer> rankByPair;
    private final BpePreTokenizer preTokenizer;
    private final UserDefinedTokenSplitter splitter;
    private final int bosId;
    private final int eosId;
    private final boolean addBosByDefault;

    /**
     * @param merges "left right" strings as GGUF stores them; the rank of a merge is its index
     */
    Gpt2BpeTokenizer(Vocabulary vocabulary, String[] merges, BpePreTokenizer preTokenizer, int bosId, int eosId,
                     boolean addBosByDefault) {
        this.vocabulary = vocabulary;
        this.preTokenizer = preTokenizer;
        this.bosId = bosId;
        this.eosId = eosId;
        this.addBosByDefault = addBosByDefault;
        this.splitter = new UserDefinedTokenSplitter(vocabulary);
        this.rankByPair = new HashMap<>(merges.length * 2);
        for (int rank = 0; rank < merges.length; rank++) {
            int space = merges[rank].indexOf(' ', 1);
            if (space < 0) {
                throw new IllegalArgumentException("merge " + rank + " '" + merges[rank] + "' has no space between"
                        + " its two parts");
            }
            rankByPair.putIfAbsent(pairKey(merges[rank], 0, space, space + 1, merges[rank].length()), rank);
        }
    }

    /** Reads the tokenizer metadata of a GGUF file whose {@code tokenizer.ggml.model} is {@code gpt2}. */
    static Gpt2BpeTokenizer fromGguf(GgufFile file) {
        String pre = file.has("tokenizer.ggml.pre") ? file.getString("tokenizer.ggml.pre") : null;
        BpePreTokenizer preTokenizer = BpePreTokenizer.forName(pre);
        if (preTokenizer == null) {
            throw new ModelFormatException(file.path(), "tokenizer.ggml.pre = '" + pre + "' is not supported"
                    + " (supported: " + BpePreTokenizer.SUPPORTED_NAMES + ")");
        }
        Vocabulary vocabulary = Vocabulary.fromGguf(file);
        String[] merges = file.get("tokenizer.ggml.merges", String[].class);
        try {
            return new Gpt2BpeTokenizer(vocabulary, merges, preTokenizer,
                    vocabulary.specialId(file, "tokenizer.ggml.bos_token_id", -1),
                    vocabulary.specialId(file, "tokenizer.ggml.eos_token_id", -1),
                    GgufTokenizers.flag(file, "tokenizer.ggml.add_bos_token", preTokenizer == BpePreTokenizer.LLAMA3));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file.path(), "tokenizer.ggml.merges: " + e.getMessage(), e);
        }
    }

    /** Unambiguous key of a pair of strings: the left part's length, then both parts. */
    private static String pairKey(String s, int leftStart, int leftEnd, int rightStart, int rightEnd) {
        return new StringBuilder(rightEnd - leftStart + 6).append(leftEnd - leftStart).append(':')
                .append(s, leftStart, leftEnd).append(s, rightStart, rightEnd).toString();
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        IntList out = new IntList(text.length() / 3 + 2);
        if (addBos) {
            if (bosId < 0) {
                throw new IllegalStateException("this vocabulary has no BOS token; encode with addBos = false");
            }
            out.add(bosId);
        }
        for (UserDefinedTokenSplitter.Fragment fragment : splitter.split(text)) {
            if (!fragment.isRawText()) {
                out.add(fragment.tokenId());
                continue;
            }
            for (String word : preTokenizer.split(fragment.text())) {
                encodeWord(Gpt2ByteMap.encode(word), out);
            }
        }
        return out.toArray();
    }

    private void encodeWord(String mapped, IntList out) {
        int wholeWord = vocabulary.idOf(mapped);
        if (preTokenizer.ignoreMerges() && wholeWord >= 0) {
            out.add(wholeWord);
            return;
        }
        int[] starts = new int[mapped.length()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = i;
        }
        int[] merged = PairMerger.merge(mapped, starts, this::mergePriority);
        for (int i = 0; i < merged.length; i++) {
            int end = i + 1 < merged.length ? merged[i + 1] : mapped.length();
            int id = vocabulary.idOf(mapped.substring(merged[i], end));
            if (id >= 0) {
                out.add(id);
                continue;
            }
            // As llama.cpp: a symbol that is no token falls back to one-byte tokens of its UTF-8 form,
            // which exist only for ASCII characters.
            for (int c = merged[i]; c < end; c++) {
                int single = mapped.charAt(c) < 0x80 ? vocabulary.idOf(String.valueOf(mapped.charAt(c))) : -1;
                if (single >= 0) {
                    out.add(single);
                }
            }
        }
    }

    private double mergePriority(String mapped, int leftStart, int splitAt, int end) {
        Integer rank = rankByPair.get(pairKey(mapped, leftStart, splitAt, splitAt, end));
        return rank == null ? PairMerger.NO_MERGE : -(double) rank;
    }

    /**
     * The bytes of {@code token}: a normal token's characters mapped back through GPT-2's byte table, a
     * user-defined token's text as UTF-8, anything else (control, unknown, unused) as nothing.
     */
    @Override
    public byte[] decode(int prevToken, int token) {
        vocabulary.checkId(token);
        return switch (vocabulary.types()[token]) {
            case NORMAL -> Gpt2ByteMap.decode(vocabulary.tokens()[token]);
            case USER_DEFINED -> vocabulary.tokens()[token].getBytes(StandardCharsets.UTF_8);
            default -> new byte[0];
        };
    }

    /** Whether the file asks for BOS ({@code tokenizer.ggml.add_bos_token}; default true only for Llama 3). */
    @Override
    public boolean addBosByDefault() {
        return addBosByDefault;
    }

    public BpePreTokenizer preTokenizer() {
        return preTokenizer;
    }

    public TokenType tokenType(int token) {
        vocabulary.checkId(token);
        return vocabulary.types()[token];
    }

    @Override
    public int vocabSize() {
        return vocabulary.size();
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }
}
