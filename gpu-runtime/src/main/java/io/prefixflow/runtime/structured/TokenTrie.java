package io.prefixflow.runtime.structured;

import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A trie of the exact bytes of every token that prints text ({@link Tokenizer#textBytes}): SPM byte-fallback
 * pieces as their byte, U+2581 as a space, byte-level BPE pieces mapped back to bytes. Control, unknown and
 * unused tokens are not in it. Immutable and thread-safe; build one per vocabulary.
 *
 * <pre>
 *   node n: edges firstEdge[n] .. firstEdge[n+1]  (edgeByte ascending, edgeChild)
 *           tokens firstToken[n] .. firstToken[n+1] (the ids whose bytes end at n)
 * </pre>
 */
public final class TokenTrie {
    private final int vocabSize;
    private final int[] firstEdge;
    private final byte[] edgeByte;
    private final int[] edgeChild;
    private final int[] firstToken;
    private final int[] tokens;
    private final byte[][] bytesOfToken;
    /** Tokens that print differently right after BOS (SPM drops a leading space there): bitset. */
    private final long[] differentAfterBos;
    private final int bosId;

    private TokenTrie(int vocabSize, int[] firstEdge, byte[] edgeByte, int[] edgeChild, int[] firstToken,
                      int[] tokens, byte[][] bytesOfToken, long[] differentAfterBos, int bosId) {
        this.vocabSize = vocabSize;
        this.firstEdge = firstEdge;
        this.edgeByte = edgeByte;
        this.edgeChild = edgeChild;
        this.firstToken = firstToken;
        this.tokens = tokens;
        this.bytesOfToken = bytesOfToken;
        this.differentAfterBos = differentAfterBos;
        this.bosId = bosId;
    }

    /**
     * The trie of {@code tokenizer}'s tokens below {@code vocabSize} (the model's, which sizes the logits;
     * ids the tokenizer does not know are left out).
     */
    public static TokenTrie of(Tokenizer tokenizer, int vocabSize) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        int known = Math.min(vocabSize, tokenizer.vocabSize());
        byte[][] bytesOfToken = new byte[vocabSize][];
        long[] differentAfterBos = new long[(vocabSize + 63) >>> 6];
        for (int id = 0; id < known; id++) {
            byte[] bytes = tokenizer.textBytes(id);
            if (bytes == null || bytes.length == 0) {
                continue;
            }
            bytesOfToken[id] = bytes;
            if (tokenizer.bosId() >= 0 && !Arrays.equals(bytes, tokenizer.decode(tokenizer.bosId(), id))) {
                differentAfterBos[id >>> 6] |= 1L << id;
            }
        }
        // Edges as (parent << 8 | byte) -> child while inserting, then flattened sorted by parent and byte.
        java.util.HashMap<Long, Integer> childOf = new java.util.HashMap<>();
        int[] nodeOfToken = new int[vocabSize];
        int numNodes = 1;
        for (int id = 0; id < vocabSize; id++) {
            byte[] bytes = bytesOfToken[id];
            if (bytes == null) {
                nodeOfToken[id] = -1;
                continue;
            }
            int node = 0;
            for (byte value : bytes) {
                long key = ((long) node << 8) | (value & 0xFF);
                Integer child = childOf.get(key);
                if (child == null) {
                    child = numNodes++;
                    childOf.put(key, child);
                }
                node = child;
            }
            nodeOfToken[id] = node;
        }
        long[] edgeKeys = new long[childOf.size()];
        int k = 0;
        for (long key : childOf.keySet()) {
            edgeKeys[k++] = key;
        }
        Arrays.sort(edgeKeys);
        int[] firstEdge = new int[numNodes + 1];
        byte[] edgeByte = new byte[edgeKeys.length];
        int[] edgeChild = new int[edgeKeys.length];
        for (int e = 0; e < edgeKeys.length; e++) {
            firstEdge[(int) (edgeKeys[e] >>> 8) + 1]++;
            edgeByte[e] = (byte) edgeKeys[e];
            edgeChild[e] = childOf.get(edgeKeys[e]);
        }
        int[] firstToken = new int[numNodes + 1];
        for (int id = 0; id < vocabSize; id++) {
            if (nodeOfToken[id] >= 0) {
                firstToken[nodeOfToken[id] + 1]++;
            }
        }
        for (int n = 0; n < numNodes; n++) {
            firstEdge[n + 1] += firstEdge[n];
            firstToken[n + 1] += firstToken[n];
        }
        int[] tokens = new int[firstToken[numNodes]];
        int[] fill = Arrays.copyOf(firstToken, numNodes);
        for (int id = 0; id < vocabSize; id++) {
            if (nodeOfToken[id] >= 0) {
                tokens[fill[nodeOfToken[id]]++] = id;
            }
        }
        return new TokenTrie(vocabSize, firstEdge, edgeByte, edgeChild, firstToken, tokens, bytesOfToken,
                differentAfterBos, tokenizer.bosId());
    }

    /** The model's vocabulary size: the length of the logits a mask applies to. */
    public int vocabSize() {
        return vocabSize;
    }

    /** The bytes of {@code token}, or null when it prints no text; do not modify. */
    byte[] bytesOf(int token) {
        return bytesOfToken[token];
    }

    int bosId() {
        return bosId;
    }

    long[] differentAfterBos() {
        return differentAfterBos;
    }

    /**
     * Sets in {@code mask} the bit of every token whose bytes {@code dfa} can read from {@code state}
     * without dying: one depth-first walk of the trie, each branch cut at the first byte the automaton rejects.
     */
    void allowedTokens(ByteDfa dfa, int state, long[] mask) {
        int[] nodeStack = new int[64];
        int[] stateStack = new int[64];
        int top = 0;
        nodeStack[top] = 0;
        stateStack[top++] = state;
        while (top > 0) {
            int node = nodeStack[--top];
            int s = stateStack[top];
            for (int i = firstToken[node]; i < firstToken[node + 1]; i++) {
                mask[tokens[i] >>> 6] |= 1L << tokens[i];
            }
            for (int e = firstEdge[node]; e < firstEdge[node + 1]; e++) {
                int t = dfa.next(s, edgeByte[e] & 0xFF);
                if (t == ByteDfa.DEAD) {
                    continue;
                }
                if (top == nodeStack.length) {
                    nodeStack = Arrays.copyOf(nodeStack, top * 2);
                    stateStack = Arrays.copyOf(stateStack, top * 2);
                }
                nodeStack[top] = edgeChild[e];
                stateStack[top++] = t;
            }
        }
    }
}
