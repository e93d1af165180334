package io.prefixflow.runtime.tokenizer;

import io.prefixflow.runtime.model.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The tokenizer of llama2.c checkpoints ({@code tokenizer.bin}, {@code tok512.bin}), encoding and decoding
 * exactly as run.c's {@code encode()} and {@code decode()} do.
 *
 * <pre>
 *  file = maxTokenLength u32 | (score f32 | length i32 | length bytes)*   little-endian, one entry per id
 * </pre>
 *
 * <p>Encoding: optional BOS (id 1), the piece {@code " "} as a dummy prefix when the text is not empty, one
 * token per UTF-8 code point (its bytes as ids {@code byte + 3} when the code point is not a piece), then
 * repeatedly the adjacent pair whose concatenated piece has the highest score is merged, ties to the
 * leftmost pair. BOS takes part in merging, as in run.c.
 *
 * <p>NOTE: pieces are held as ISO-8859-1 strings, one char per byte, so that concatenating and looking up
 * pieces is byte-exact like run.c's {@code strcmp} while still using {@link String} hashing.
 */
public final class Llama2cTokenizer implements Tokenizer {
    private static final int BOS_ID = 1;
    private static final int EOS_ID = 2;
    private static final int BYTE_TOKEN_OFFSET = 3;
    /** run.c starts its best-score scan at -1e10, so pieces scoring at or below it never merge. */
    private static final float MIN_MERGE_SCORE = -1e10f;

    private final String[] pieces;
    private final float[] scores;
    private final Map<String, Integer> idByPiece;
    private final int dummyPrefixId;

    private Llama2cTokenizer(Path source, String[] pieces, float[] scores) {
        this.pieces = pieces;
        this.scores = scores;
        this.idByPiece = new HashMap<>(pieces.length * 2);
        for (int id = 0; id < pieces.length; id++) {
            idByPiece.putIfAbsent(pieces[id], id);
        }
        Integer space = idByPiece.get(" ");
        if (space == null) {
            throw new ModelFormatException(source, "tokenizer has no \" \" piece for run.c's dummy prefix");
        }
        if (pieces.length <= BYTE_TOKEN_OFFSET + 255) {
            throw new ModelFormatException(source, "tokenizer has " + pieces.length
                    + " pieces, fewer than the 259 that byte fallback (ids 3..258) needs");
        }
        this.dummyPrefixId = space;
    }

    /** Reads every entry of a llama2.c tokenizer file; the file's length determines the vocabulary size. */
    public static Llama2cTokenizer load(Path file) {
        return read(file, -1);
    }

    /**
     * Reads the first {@code vocabSize} entries, as run.c does with the model's vocabulary size; bytes after
     * them are ignored.
     */
    public static Llama2cTokenizer load(Path file, int vocabSize) {
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("vocabSize must be positive, got " + vocabSize);
        }
        return read(file, vocabSize);
    }

    private static Llama2cTokenizer read(Path file, int expectedVocabSize) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read tokenizer: " + e.getMessage(), e);
        }
        return parse(file, bytes, expectedVocabSize);
    }

    /**
     * Parses the bytes of a tokenizer file ({@code expectedVocabSize} entries, or as many as there are when it
     * is not positive); {@code file} only names the source in messages. Every problem is a
     * {@link ModelFormatException}.
     */
    static Llama2cTokenizer parse(Path file, byte[] bytes, int expectedVocabSize) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 4) {
            throw new ModelFormatException(file, "truncated tokenizer: " + bytes.length
                    + " bytes, no max_token_length header");
        }
        long maxTokenLength = Integer.toUnsignedLong(in.getInt());
        // NOTE: every entry takes at least 9 bytes, so a vocabulary size the bytes cannot hold is not allocated.
        int capacity = Math.max(1, Math.min(expectedVocabSize > 0 ? expectedVocabSize : 1024, bytes.length / 9 + 1));
        String[] pieces = new String[capacity];
        float[] scores = new float[capacity];
        int count = 0;
        while (expectedVocabSize > 0 ? count < expectedVocabSize : in.hasRemaining()) {
            if (in.remaining() < 8) {
                throw new ModelFormatException(file, "truncated tokenizer: entry " + count + " at offset "
                        + in.position() + " needs an 8-byte score and length, " + in.remaining() + " bytes left");
            }
            float score = in.getFloat();
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new ModelFormatException(file, "truncated or corrupt tokenizer: entry " + count
                        + " has length " + length + " but " + in.remaining() + " bytes are left");
            }
            if (length > maxTokenLength) {
                throw new ModelFormatException(file, "corrupt tokenizer: entry " + count + " has length " + length
                        + ", more than the header's max_token_length " + maxTokenLength);
            }
            if (length == 0) {
                // NOTE: run.c would accept it, but an empty piece makes merging ambiguous; no real vocabulary has one.
                throw new ModelFormatException(file, "unsupported tokenizer: entry " + count + " has an empty piece");
            }
            if (count == pieces.length) {
                pieces = Arrays.copyOf(pieces, count * 2);
                scores = Arrays.copyOf(scores, count * 2);
            }
            byte[] piece = new byte[length];
            in.get(piece);
            pieces[count] = ByteStrings.ofBytes(piece);
            scores[count] = score;
            count++;
        }
        return new Llama2cTokenizer(file, Arrays.copyOf(pieces, count),
                Arrays.copyOf(scores, count));
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        IntList initial = new IntList(utf8.length + 2);
        if (addBos) {
            initial.add(BOS_ID);
        }
        if (utf8.length > 0) {
            initial.add(dummyPrefixId);
        }
        addCodePointTokens(utf8, initial);

        StringBuilder joined = new StringBuilder();
        int[] starts = new int[initial.size()];
        for (int i = 0; i < initial.size(); i++) {
            starts[i] = joined.length();
            joined.append(pieces[initial.get(i)]);
        }
        String joinedPieces = joined.toString();
        int[] merged = PairMerger.merge(joinedPieces, starts, this::mergePriority);

        // An unmerged symbol keeps the id it started with (byte fallback ids are byte + 3 by definition).
        int[] ids = new int[merged.length];
        int initialIndex = 0;
        for (int i = 0; i < merged.length; i++) {
            int end = i + 1 < merged.length ? merged[i + 1] : joinedPieces.length();
            while (starts[initialIndex] < merged[i]) {
                initialIndex++;
            }
            int initialEnd = initialIndex + 1 < starts.length ? starts[initialIndex + 1] : joinedPieces.length();
            ids[i] = initialEnd == end ? initial.get(initialIndex) : idByPiece.get(joinedPieces.substring(merged[i], end));
        }
        return ids;
    }

    /** run.c's code point loop: a lead byte plus up to three continuation bytes form one lookup. */
    private void addCodePointTokens(byte[] utf8, IntList out) {
        byte[] buffer = new byte[4];
        int length = 0;
        for (int i = 0; i < utf8.length; i++) {
            if ((utf8[i] & 0xC0) != 0x80) {
                length = 0;
            }
            buffer[length++] = utf8[i];
            boolean nextIsContinuation = i + 1 < utf8.length && (utf8[i + 1] & 0xC0) == 0x80;
            if (nextIsContinuation && length < 4) {
                continue;
            }
            Integer id = idByPiece.get(ByteStrings.ofBytes(Arrays.copyOf(buffer, length)));
            if (id != null) {
                out.add(id);
            } else {
                for (int b = 0; b < length; b++) {
                    out.add(Byte.toUnsignedInt(buffer[b]) + BYTE_TOKEN_OFFSET);
                }
            }
            length = 0;
        }
    }

    private double mergePriority(String text, int leftStart, int splitAt, int end) {
        Integer id = idByPiece.get(text.substring(leftStart, end));
        if (id == null || !(scores[id] > MIN_MERGE_SCORE)) {
            return PairMerger.NO_MERGE;
        }
        return scores[id];
    }

    /**
     * run.c's {@code decode}: after BOS (id 1) a leading space is dropped; a piece that reads
     * {@code <0xXX>} stands for that raw byte (including 0x00, which run.c's C string would print as nothing).
     */
    @Override
    public byte[] decode(int prevToken, int token) {
        if (token < 0 || token >= pieces.length) {
            throw new IllegalArgumentException("token " + token + " outside the vocabulary of " + pieces.length);
        }
        String piece = pieces[token];
        if (prevToken == BOS_ID && piece.startsWith(" ")) {
            piece = piece.substring(1);
        }
        int byteValue = parseBytePiece(piece);
        if (byteValue >= 0) {
            return new byte[] {(byte) byteValue};
        }
        return piece.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** UNK, BOS and EOS (ids 0..2) print no text of their own; every other piece decodes as run.c does. */
    @Override
    public byte[] textBytes(int token) {
        if (token < BYTE_TOKEN_OFFSET) {
            return null;
        }
        byte[] bytes = decode(-1, token);
        return bytes.length == 0 ? null : bytes;
    }

    /** Mirrors {@code sscanf(piece, "<0x%02hhX>", ...) == 1}: "<0x" then one or two hex digits. */
    private static int parseBytePiece(String piece) {
        if (!piece.startsWith("<0x") || piece.length() < 4) {
            return -1;
        }
        int high = ByteStrings.hexDigit(piece.charAt(3));
        if (high < 0) {
            return -1;
        }
        int low = piece.length() > 4 ? ByteStrings.hexDigit(piece.charAt(4)) : -1;
        return low < 0 ? high : high * 16 + low;
    }

    /** The raw bytes of piece {@code id}, spaces as plain spaces (llama2.c files hold no U+2581). */
    public byte[] pieceBytes(int id) {
        return pieces[id].getBytes(StandardCharsets.ISO_8859_1);
    }

    public float score(int id) {
        return scores[id];
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public int bosId() {
        return BOS_ID;
    }

    @Override
    public int eosId() {
        return EOS_ID;
    }
}
