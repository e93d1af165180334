package io.prefixflow.jobs.cli;

import io.prefixflow.runtime.engine.Priority;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.structured.ResponseFormat;
import java.util.Objects;

/**
 * One line of a {@code --prompts-file}.
 *
 * @param lineNumber 1-based line in the file, for messages
 * @param prompt     the prompt text
 * @param params     sampling settings: the line's own, else the command's options
 * @param priority   scheduling class (default THROUGHPUT)
 * @param cacheSalt  prefix-cache namespace (default {@code ""})
 * @param responseFormat the line's {@code response_format}, else the command's, else null (free text)
 */
record PromptLine(int lineNumber, String prompt, SamplingParams params, Priority priority, String cacheSalt,
                  ResponseFormat responseFormat) {
    PromptLine {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(cacheSalt, "cacheSalt");
        if (lineNumber < 1) {
            throw new IllegalArgumentException("lineNumber must be >= 1, got " + lineNumber);
        }
    }
}
