package io.prefixflow.jobs.bench;

import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random English-like text of a requested length in tokens of the model's own tokenizer: words are drawn
 * from a fixed list, the text is tokenized, and words are dropped from the end until it has at most the
 * requested number of tokens. NOTE: the result is within one word of the length ({@code encode} without BOS);
 * lengths of concatenated parts add up only approximately, since a tokenizer may merge across the seam.
 */
public final class SyntheticText {
    private static final String[] WORDS = ("the of and to in is was that for on with as by at from it an be this"
            + " are or have had not but which one were all their there been has when who will more no if out so"
            + " said what up its about into than them can only other new some could time these two may then do"
            + " first any my now such like our over man me even most made after also did many before must"
            + " through back years where much your way well down should because each just those people how too"
            + " little state good very make world still own see men work long get here between both life being"
            + " under never day same another know while last might us great old year off come since against go"
            + " came right used take three river garden market story window summer water number company system"
            + " report question reason answer history morning evening village teacher doctor engine signal stream"
            + " kernel cache prefix token model flink kafka record window latency throughput request").split(" ");

    private final Tokenizer tokenizer;

    public SyntheticText(Tokenizer tokenizer) {
        if (tokenizer == null) {
            throw new IllegalArgumentException("synthetic prompts need the model's tokenizer; this model has none"
                    + " (give --tokenizer)");
        }
        this.tokenizer = tokenizer;
    }

    /** Tokens of {@code text} as a prompt part (no BOS). */
    public int countTokens(String text) {
        return tokenizer.encode(text, false).length;
    }

    /** Text of about {@code numTokens} tokens (at most that many, short by less than a word). */
    public String generate(int numTokens, Random random) {
        List<String> words = new ArrayList<>();
        int estimate = 0;
        while (estimate < numTokens) {
            String word = WORDS[random.nextInt(WORDS.length)];
            words.add(word);
            estimate += countTokens(" " + word);
        }
        String text = String.join(" ", words);
        int tokens = countTokens(text);
        while (tokens > numTokens && words.size() > 1) {
            int excess = tokens - numTokens;
            int drop = Math.max(1, Math.min(words.size() - 1, excess / 2));
            words.subList(words.size() - drop, words.size()).clear();
            text = String.join(" ", words);
            tokens = countTokens(text);
        }
        return text;
    }
}
