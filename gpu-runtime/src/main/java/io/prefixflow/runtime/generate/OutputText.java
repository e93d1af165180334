package io.prefixflow.runtime.generate;

import io.prefixflow.runtime.sampling.StopStringMatcher;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import io.prefixflow.runtime.tokenizer.Utf8StreamDecoder;
import java.util.List;

/**
 * One request's generated text as tokens arrive: UTF-8 assembled across tokens, stop strings found,
 * and only text that can no longer turn into a stop string released for streaming. The engine and
 * {@link Generator} both use it, so their texts agree.
 *
 * <p>Without a tokenizer (dummy models) the text stays empty. Not thread-safe.
 */
public final class OutputText {
    private final Tokenizer tokenizer;
    private final StopStringMatcher stops;
    private final Utf8StreamDecoder decoder = new Utf8StreamDecoder();
    private final StringBuilder text = new StringBuilder();
    private int prevToken;
    private int numStreamedChars;
    private boolean stoppedByString;
    private boolean finished;

    /**
     * @param tokenizer       decodes tokens, or null for none
     * @param stopStrings     generation ends before the first of these
     * @param lastPromptToken the token the first generated one follows (decoding can depend on it)
     */
    public OutputText(Tokenizer tokenizer, List<String> stopStrings, int lastPromptToken) {
        this.tokenizer = tokenizer;
        this.stops = new StopStringMatcher(stopStrings);
        this.prevToken = lastPromptToken;
    }

    /** Adds a generated (non-stop) token; returns the text it makes safe to stream, maybe empty. */
    public String append(int token) {
        if (tokenizer == null || finished) {
            return "";
        }
        int checkedUpTo = text.length();
        text.append(decoder.append(tokenizer.decode(prevToken, token)));
        prevToken = token;
        int stopAt = stops.findStop(text, checkedUpTo);
        if (stopAt >= 0) {
            text.setLength(stopAt);
            stoppedByString = true;
            finished = true;
            return release(text.length());
        }
        return release(Math.max(numStreamedChars, stops.safeLength(text)));
    }

    /** Whether a stop string ended the text. */
    public boolean stoppedByString() {
        return stoppedByString;
    }

    /** Ends the text; returns what was held back and not yet streamed. */
    public String finish() {
        if (tokenizer == null) {
            return "";
        }
        if (!finished) {
            text.append(decoder.flush());
            finished = true;
        }
        return release(text.length());
    }

    public String text() {
        return text.toString();
    }

    private String release(int upTo) {
        int end = Math.min(upTo, text.length());
        if (end <= numStreamedChars) {
            return "";
        }
        String delta = text.substring(numStreamedChars, end);
        numStreamedChars = end;
        return delta;
    }
}
