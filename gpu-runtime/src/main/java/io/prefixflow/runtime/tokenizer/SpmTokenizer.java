package io.prefixflow.runtime.tokenizer;

import io.prefixflow.runtime.format.GgufFile;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * llama.cpp's SentencePiece-BPE tokenizer for GGUF files with {@code tokenizer.ggml.model = llama}.
 *
 * <p>Encoding a text fragment: spaces become U+2581, one U+2581 is prefixed when {@code add_space_prefix}
 * is set (at the start of the prompt, or after a user-defined token), the text is split into UTF-8
 * characters, and adjacent symbols whose concatenation is a token merge, highest token score first, ties to
 * the leftmost pair. A final symbol that is not a token becomes one {@code <0xXX>} token per byte.
 * Special-token text such as {@code <s>} is not parsed as special.
 *
 * <p>NOTE: symbols are spans of the UTF-8 bytes held one char per byte (ISO-8859-1), and the token map is
 * keyed the same way, so lookups compare bytes exactly as llama.cpp's {@code std::string} map does.
 */
public final class SpmTokenizer implements Tokenizer {
    private static final char SPACE_MARK = '\u2581';

    private final Vocabulary vocabulary;
    private final Map<String, Integer> idByUtf8;
    private final UserDefinedTokenSplitter splitter;
    private final int bosId;
    private final int eosId;
    private final int unknownId;
    private final boolean addBosByDefault;
    private final boolean addSpacePrefix;

    SpmTokenizer(Vocabulary vocabulary, int bosId, int eosId, int unknownId, boolean addBosByDefault,
                 boolean addSpacePrefix) {
        this.vocabulary = vocabulary;
        this.bosId = bosId;
        this.eosId = eosId;
        this.unknownId = unknownId;
        this.addBosByDefault = addBosByDefault;
        this.addSpacePrefix = addSpacePrefix;
        this.splitter = new UserDefinedTokenSplitter(vocabulary);
        String[] tokens = vocabulary.tokens();
        this.idByUtf8 = new HashMap<>(tokens.length * 2);
        for (int id = 0; id < tokens.length; id++) {
            idByUtf8.put(ByteStrings.ofUtf8(tokens[id]), id);
        }
    }

    /** Reads the tokenizer metadata of a GGUF file whose {@code tokenizer.ggml.model} is {@code llama}. */
    static SpmTokenizer fromGguf(GgufFile file) {
        Vocabulary vocabulary = Vocabulary.fromGguf(file);
        return new SpmTokenizer(vocabulary,
                vocabulary.specialId(file, "tokenizer.ggml.bos_token_id", 1),
                vocabulary.specialId(file, "tokenizer.ggml.eos_token_id", 2),
                vocabulary.specialId(file, "tokenizer.ggml.unknown_token_id", 0),
                GgufTokenizers.flag(file, "tokenizer.ggml.add_bos_token", true),
                GgufTokenizers.flag(file, "tokenizer.ggml.add_space_prefix", true));
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        IntList out = new IntList(text.length() + 2);
        if (addBos) {
            if (bosId < 0) {
                throw new IllegalStateException("this vocabulary has no BOS token; encode with addBos = false");
            }
            out.add(bosId);
        }
        boolean previousWasToken = true;
        for (UserDefinedTokenSplitter.Fragment fragment : splitter.split(text)) {
            if (fragment.isRawText()) {
                String prefixed = addSpacePrefix && previousWasToken ? " " + fragment.text() : fragment.text();
                encodeRaw(prefixed.replace(' ', SPACE_MARK), out);
                previousWasToken = false;
            } else {
                out.add(fragment.tokenId());
                previousWasToken = true;
            }
        }
        return out.toArray();
    }

    private void encodeRaw(String escaped, IntList out) {
        String bytes = ByteStrings.ofUtf8(escaped);
        int[] merged = PairMerger.merge(bytes, ByteStrings.characterStarts(bytes), this::mergePriority);
        for (int i = 0; i < merged.length; i++) {
            int end = i + 1 < merged.length ? merged[i + 1] : bytes.length();
            Integer id = idByUtf8.get(bytes.substring(merged[i], end));
            if (id != null) {
                out.add(id);
                continue;
            }
            for (int b = merged[i]; b < end; b++) {
                out.add(byteToken(bytes.charAt(b)));
            }
        }
    }

    private double mergePriority(String bytes, int leftStart, int splitAt, int end) {
        Integer id = idByUtf8.get(bytes.substring(leftStart, end));
        return id == null ? PairMerger.NO_MERGE : vocabulary.scores()[id];
    }

    /** {@code <0xXX>}, or as llama.cpp falls back, the one-byte piece itself. */
    private int byteToken(int byteValue) {
        Integer id = idByUtf8.get(String.format("<0x%02X>", byteValue));
        if (id == null) {
            id = idByUtf8.get(String.valueOf((char) byteValue));
        }
        if (id == null) {
            throw new IllegalArgumentException(String.format(
                    "the vocabulary has no byte token <0x%02X> to encode a character that is not a token", byteValue));
        }
        return id;
    }

    /**
     * The bytes of {@code token}: U+2581 as a space, a byte token as its byte, control, unknown and unused
     * tokens as nothing (llama.cpp with {@code special = false}); after BOS, with {@code add_space_prefix},
     * one leading space is dropped.
     */
    @Override
    public byte[] decode(int prevToken, int token) {
        vocabulary.checkId(token);
        String text;
        switch (vocabulary.types()[token]) {
            case NORMAL -> text = vocabulary.tokens()[token].replace(SPACE_MARK, ' ');
            case USER_DEFINED -> text = vocabulary.tokens()[token];
            case BYTE -> {
                return new byte[] {(byte) parseByteToken(vocabulary.tokens()[token])};
            }
            default -> {
                return new byte[0];
            }
        }
        if (addSpacePrefix && prevToken == bosId && bosId >= 0 && text.startsWith(" ")) {
            text = text.substring(1);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Like llama.cpp's {@code strtol(text + 3, NULL, 16)} on {@code <0xXX>}. */
    private static int parseByteToken(String text) {
        int value = 0;
        for (int i = 3; i < text.length() && ByteStrings.hexDigit(text.charAt(i)) >= 0; i++) {
            value = value * 16 + ByteStrings.hexDigit(text.charAt(i));
        }
        return value & 0xFF;
    }

    /** Whether the file asks for BOS at the start of a prompt ({@code tokenizer.ggml.add_bos_token}). */
    @Override
    public boolean addBosByDefault() {
        return addBosByDefault;
    }

    public int unknownId() {
        return unknownId;
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
