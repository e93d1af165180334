package io.prefixflow.runtime.generate;

import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.ModelRunner;
import io.prefixflow.runtime.runner.SequenceChunk;
import io.prefixflow.runtime.sampling.Sampler;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.structured.TokenConstraint;
import java.util.Arrays;

/**
 * Runs one prompt to completion on a {@link ModelRunner}: prefill in chunks, then decode token by
 * token, drawing KV blocks from a {@link BlockPool} as the sequence grows and returning them at the end.
 *
 * <p>The serving engine batches many requests; this is the plain loop for one, used by
 * {@code generate} with a single prompt and as the reference the engine is compared against.
 */
public final class Generator {
    private final Model model;
    private final ModelRunner runner;
    private final BlockPool blocks;
    private final int prefillChunkTokens;
    private final Sampler sampler = new Sampler();

    public Generator(Model model, ModelRunner runner, BlockPool blocks, int prefillChunkTokens) {
        if (prefillChunkTokens < 1) {
            throw new IllegalArgumentException("prefillChunkTokens must be >= 1, got " + prefillChunkTokens);
        }
        this.model = model;
        this.runner = runner;
        this.blocks = blocks;
        this.prefillChunkTokens = prefillChunkTokens;
    }

    /** Generates from already-encoded prompt ids. */
    public GenerationResult generate(int[] promptIds, SamplingParams params, TokenListener listener) {
        return generate(promptIds, params, null, listener);
    }

    /**
     * Generates from already-encoded prompt ids, sampling only tokens that {@code constraint} allows (null
     * for free text); ends with {@code stop} when the constrained output is complete and nothing may follow,
     * with {@code length} and the partial text when max_tokens runs out first, as the engine does.
     *
     * @throws IllegalStateException if the vocabulary cannot continue the constrained output
     */
    public GenerationResult generate(int[] promptIds, SamplingParams params, TokenConstraint constraint,
                                     TokenListener listener) {
        int context = runner.config().contextLength();
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt encodes to no tokens; give a non-empty prompt");
        }
        if (promptIds.length >= context) {
            throw new IllegalArgumentException("the prompt has " + promptIds.length
                    + " tokens, but the context holds " + context + " (prompt plus at least one generated token)");
        }
        int blockSize = runner.blockSize();
        int[] table = new int[(context + blockSize - 1) / blockSize];
        int numBlocks = 0;
        OutputText text = new OutputText(model.tokenizer(), params.stopStrings(), promptIds[promptIds.length - 1]);
        // At most the context's remaining positions plus the token sampled at the last one.
        int[] generated = new int[Math.min(params.maxTokens(), context - promptIds.length + 1)];
        int numGenerated = 0;
        FinishReason reason = FinishReason.LENGTH;
        try {
            float[] logits = null;
            for (int start = 0; start < promptIds.length; start += prefillChunkTokens) {
                int end = Math.min(promptIds.length, start + prefillChunkTokens);
                numBlocks = ensureBlocks(table, numBlocks, end, blockSize);
                logits = runner.forward(ForwardBatch.of(new SequenceChunk(
                        Arrays.copyOfRange(promptIds, start, end), start, table)))[0];
            }
            int position = promptIds.length;
            int previous = promptIds[promptIds.length - 1];
            while (true) {
                long[] allowed = null;
                if (constraint != null) {
                    if (constraint.isStuck()) {
                        throw new IllegalStateException("no token of the vocabulary can continue the constrained"
                                + " output after " + numGenerated + " tokens");
                    }
                    allowed = constraint.allowedTokens(previous);
                }
                int token = sampler.sample(logits, params, numGenerated, allowed);
                previous = token;
                generated[numGenerated++] = token;
                if (model.stopTokenIds().contains(token)) {
                    reason = FinishReason.STOP;
                    listener.onToken(token, "");
                    break;
                }
                if (constraint != null) {
                    constraint.advance(token);
                }
                listener.onToken(token, text.append(token));
                if (text.stoppedByString() || (constraint != null && constraint.isComplete())) {
                    reason = FinishReason.STOP;
                    break;
                }
                if (numGenerated == params.maxTokens() || position == context) {
                    reason = FinishReason.LENGTH;
                    break;
                }
                numBlocks = ensureBlocks(table, numBlocks, position + 1, blockSize);
                logits = runner.forward(ForwardBatch.of(new SequenceChunk(new int[] {token}, position, table)))[0];
                position++;
            }
        } finally {
            for (int i = numBlocks - 1; i >= 0; i--) {
                blocks.release(table[i]);
            }
        }
        String rest = text.finish();
        if (!rest.isEmpty()) {
            listener.onToken(-1, rest);
        }
        return new GenerationResult(promptIds, Arrays.copyOf(generated, numGenerated), text.text(), reason);
    }

    private int ensureBlocks(int[] table, int numBlocks, int positions, int blockSize) {
        while (numBlocks * blockSize < positions) {
            int block = blocks.tryAllocate();
            if (block < 0) {
                throw new IllegalStateException("the KV cache is full (" + blocks.numBlocks()
                        + " blocks): raise --kv-cache-bytes");
            }
            table[numBlocks++] = block;
        }
        return numBlocks;
    }
}
