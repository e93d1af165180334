package io.prefixflow.runtime.engine;

import io.prefixflow.runtime.generate.FinishReason;
import io.prefixflow.runtime.generate.OutputText;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.structured.TokenConstraint;

/**
 * The state of a resumed request after replaying the tokens it had already generated: its output text
 * (stop strings checked, text already streamed marked as such) and, when those tokens already end it, the
 * finish reason. Applies the same end rules as the engine thread's sampling loop, in the same order.
 *
 * @param text              the output text with the replayed tokens appended
 * @param generatedTokenIds the replayed tokens
 * @param finishReason      why the replayed tokens already end the request, or null if it goes on
 * @param request           the request
 */
record Resumption(OutputText text, int[] generatedTokenIds, FinishReason finishReason, EngineRequest request) {

    /**
     * Replays {@code generated} into a fresh output text and, when the request has a response format, into
     * {@code constraint} (null otherwise); see {@link Engine#resume}.
     */
    static Resumption replay(Model model, int contextLength, EngineRequest request, int[] generated,
                             TokenConstraint constraint) {
        int vocabSize = model.config().vocabSize();
        OutputText text = new OutputText(model.tokenizer(), request.params().stopStrings(),
                request.promptToken(request.promptLength() - 1));
        FinishReason reason = null;
        for (int i = 0; i < generated.length; i++) {
            int token = generated[i];
            if (reason != null) {
                throw new IllegalArgumentException("request " + request.id() + ": generated token " + (i - 1)
                        + " already ended it (" + reason.wireName() + "), but " + generated.length
                        + " generated tokens were given");
            }
            if (token < 0 || token >= vocabSize) {
                throw new IllegalArgumentException("request " + request.id() + ": generated token " + i + " is "
                        + token + ", outside the vocabulary [0, " + vocabSize + ")");
            }
            if (model.stopTokenIds().contains(token)) {
                reason = FinishReason.STOP;
                continue;
            }
            if (constraint != null) {
                constraint.advance(token);
            }
            text.append(token);
            int numGenerated = i + 1;
            if (text.stoppedByString()) {
                reason = FinishReason.STOP;
            } else if (constraint != null && constraint.isComplete()) {
                reason = FinishReason.STOP;
            } else if (numGenerated == request.params().maxTokens()
                    || request.promptLength() + numGenerated > contextLength) {
                reason = FinishReason.LENGTH;
            }
        }
        return new Resumption(text, generated, reason, request);
    }

    /** The result of a request whose replayed tokens already end it. */
    EngineResult finishedResult(long submitNanos) {
        text.finish();
        return new EngineResult(request.id(), request.promptTokenIds(), generatedTokenIds.clone(), text.text(),
                finishReason, null, new Usage(request.promptLength(), 0, generatedTokenIds.length),
                new Timings(0, 0, Math.max(0, (System.nanoTime() - submitNanos) / 1e6)));
    }
}
