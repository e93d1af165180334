package io.prefixflow.runtime.engine;

import io.prefixflow.kv.hash.BlockHash;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The scheduler's view of one request: its tokens (prompt, then generated) and how many of them have
 * their KV computed.
 *
 * <pre>
 *   tokens:   | prompt ............................ | generated ...... |
 *             0                    numComputedTokens ^        numTokens ^
 *   the next step computes tokens[numComputedTokens .. numComputedTokens + chunk)
 * </pre>
 *
 * <p>There are no prefill and decode phases: a sequence is only computed tokens catching up with its
 * tokens under the step's token budget. When they have caught up, the last step's logits give the next
 * token, which {@link Scheduler#appendToken} adds. After a preemption {@code numComputedTokens} drops to
 * what the prefix cache still holds and the sequence catches up again over prompt and generated tokens
 * alike. Mutable; owned by the engine thread.
 */
final class Sequence {
    /** Priority class first, then arrival: the order of admission; the reverse is the order of preemption. */
    static final Comparator<Sequence> SERVICE_ORDER = Comparator
            .comparing((Sequence s) -> s.request.priority())
            .thenComparingLong(s -> s.arrivalOrder);

    final EngineRequest request;
    final long arrivalOrder;
    final BlockHash namespace;
    /** Prompt then generated tokens; room for the prompt plus {@code maxTokens}, at most a full context. */
    private final int[] tokens;
    private int numTokens;
    /** Tokens whose KV is in the sequence's blocks; meaningful while running. */
    int numComputedTokens;
    /** Physical block ids while running, else null; replaced (never mutated) when blocks are added. */
    int[] blockTable;
    boolean running;
    /** Prompt tokens the prefix cache supplied at the first admission; -1 before it. */
    int numCachedPromptTokens = -1;
    /**
     * Prompt tokens the prefix cache held, or another live request's prompt shared, when the request was queued:
     * its expected hit before admission.
     */
    int numExpectedCachedTokens;

    /**
     * @param contextLength the model's context: a sequence ends once it holds {@code contextLength + 1}
     *                      tokens, so no larger {@code max_tokens} needs room
     */
    Sequence(EngineRequest request, long arrivalOrder, BlockHash namespace, int contextLength) {
        this.request = request;
        this.arrivalOrder = arrivalOrder;
        this.namespace = namespace;
        int promptLength = request.promptLength();
        this.tokens = new int[(int) Math.min((long) promptLength + request.params().maxTokens(), contextLength + 1L)];
        for (int i = 0; i < promptLength; i++) {
            tokens[i] = request.promptToken(i);
        }
        this.numTokens = promptLength;
    }

    String id() {
        return request.id();
    }

    int numTokens() {
        return numTokens;
    }

    int numPromptTokens() {
        return request.promptLength();
    }

    int numGeneratedTokens() {
        return numTokens - request.promptLength();
    }

    /**
     * Prompt tokens still to compute plus tokens still to generate: the work this sequence still needs. A waiting
     * sequence counts its prompt past what the cache held when it was queued.
     */
    long outstandingTokens() {
        int promptDone = running ? numComputedTokens : numExpectedCachedTokens;
        // the token array has room for exactly the tokens the sequence may still generate
        return Math.max(0, request.promptLength() - promptDone) + (long) (tokens.length - numTokens);
    }

    /** The backing array: valid up to {@link #numTokens()}; do not modify. */
    int[] tokenArray() {
        return tokens;
    }

    int[] tokensCopy() {
        return Arrays.copyOf(tokens, numTokens);
    }

    int[] generatedCopy() {
        return Arrays.copyOfRange(tokens, request.promptLength(), numTokens);
    }

    /** Whether the last step computed every token, so the next token is due. */
    boolean awaitsToken() {
        return running && numComputedTokens == numTokens;
    }

    void append(int token) {
        if (numTokens == tokens.length) {
            throw new IllegalStateException("request " + id() + " already has its max_tokens "
                    + request.params().maxTokens() + " generated tokens");
        }
        tokens[numTokens++] = token;
    }
}
