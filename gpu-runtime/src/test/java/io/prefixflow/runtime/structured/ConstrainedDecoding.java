package io.prefixflow.runtime.structured;

import io.prefixflow.runtime.generate.FinishReason;
import io.prefixflow.runtime.generate.OutputText;
import io.prefixflow.runtime.sampling.Sampler;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decodes under a constraint with random logits in place of a model: validity must not depend on what
 * the model prefers, so any logits will do, and random ones reach far more of the vocabulary.
 */
final class ConstrainedDecoding {
    /** What one decoding gave. */
    record Outcome(String text, FinishReason finishReason, int numTokens, TokenConstraint constraint) {
    }

    private ConstrainedDecoding() {
    }

    static Outcome decode(Tokenizer tokenizer, TokenMasks masks, int lastPromptToken, long seed, int maxTokens) {
        TokenConstraint constraint = new TokenConstraint(masks);
        OutputText text = new OutputText(tokenizer, List.of(), lastPromptToken);
        Sampler sampler = new Sampler();
        SamplingParams params = new SamplingParams(1f, 1f, 0, seed, maxTokens, List.of());
        SplittableRandom random = new SplittableRandom(seed);
        float[] logits = new float[masks.trie().vocabSize()];
        int previous = lastPromptToken;
        for (int i = 0; i < maxTokens; i++) {
            for (int id = 0; id < logits.length; id++) {
                logits[id] = (float) (random.nextDouble() * 8);
            }
            int token = sampler.sample(logits, params, i, constraint.allowedTokens(previous));
            if (constraint.isStopToken(token)) {
                if (!constraint.isAccepting()) {
                    throw new AssertionError("a stop token was allowed before the output was complete");
                }
                text.finish();
                return new Outcome(text.text(), FinishReason.STOP, i + 1, constraint);
            }
            constraint.advance(token);
            text.append(token);
            previous = token;
            if (constraint.isComplete()) {
                text.finish();
                return new Outcome(text.text(), FinishReason.STOP, i + 1, constraint);
            }
        }
        text.finish();
        return new Outcome(text.text(), FinishReason.LENGTH, maxTokens, constraint);
    }
}
