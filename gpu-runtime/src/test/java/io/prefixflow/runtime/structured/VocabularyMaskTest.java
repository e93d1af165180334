package io.prefixflow.runtime.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.generate.FinishReason;
import io.prefixflow.runtime.testing.SharedData;
import io.prefixflow.runtime.tokenizer.ByteTokenizer;
import io.prefixflow.runtime.tokenizer.GgufTokenizers;
import io.prefixflow.runtime.tokenizer.Llama2cTokenizer;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Masks over real vocabularies: SPM (llama, 32000 tokens, byte fallback and U+2581), byte-level BPE (GPT-2,
 * 50257 tokens), stories260K's SPM (512 tokens) in its GGUF and llama2.c forms, and the dummy models' byte
 * tokenizer. Random schemas,
 * prompts and logits; every completed output must validate and every stopped-short one must still be a
 * prefix of a valid output.
 */
class VocabularyMaskTest {
    private static final String[] PROMPT_WORDS = {"Once", "upon", "a", "time", "JSON:", "{", "the", "weather", " "};
    private static final Map<String, StructuredOutput> OUTPUTS = new HashMap<>();
    private static final Map<String, Tokenizer> TOKENIZERS = new HashMap<>();

    static synchronized Tokenizer tokenizer(String name) {
        return TOKENIZERS.computeIfAbsent(name, n -> {
            if (n.equals("bytes")) {
                return new ByteTokenizer(32000);
            }
            if (n.equals("tok512.bin")) {
                return Llama2cTokenizer.load(SharedData.model(n));
            }
            String file = n.equals("stories260K.gguf") ? n : "vocab/" + n;
            return GgufTokenizers.fromGguf(GgufFile.open(SharedData.model(file)));
        });
    }

    static synchronized StructuredOutput structured(String name) {
        return OUTPUTS.computeIfAbsent(name, n -> {
            Tokenizer tokenizer = tokenizer(n);
            int vocabSize = n.equals("bytes") ? 32000 : tokenizer.vocabSize();
            return new StructuredOutput(tokenizer, vocabSize, tokenizer.eosId() >= 0 ? Set.of(tokenizer.eosId()) : Set.of());
        });
    }

    @Provide
    Arbitrary<String> vocabularies() {
        return Arbitraries.of("ggml-vocab-llama-spm.gguf", "ggml-vocab-gpt-2.gguf", "stories260K.gguf", "tok512.bin",
                "bytes");
    }

    @Property(tries = 60)
    void schemaOutputsValidate(@ForAll("vocabularies") String vocabulary, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String schema = RandomSchemas.schema(random, 2);
        Tokenizer tokenizer = tokenizer(vocabulary);
        TokenMasks masks = structured(vocabulary).masks(ResponseFormat.jsonSchema(schema));
        ConstrainedDecoding.Outcome outcome = ConstrainedDecoding.decode(tokenizer, masks,
                lastPromptToken(tokenizer, random), random.nextLong(), 400);
        if (outcome.finishReason() == FinishReason.STOP) {
            SchemaValidation.assertValid(schema, outcome.text());
        } else {
            assertTrue(RandomWalk.longestOutputBytes(masks.dfa()) > 400, "a bounded schema must finish: " + schema);
            assertNotEquals(ByteDfa.DEAD, masks.dfa().walk(0, outcome.text().getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Property(tries = 40)
    void choicesYieldExactlyOneChoice(@ForAll("vocabularies") String vocabulary, @ForAll long seed) {
        List<String> choices = List.of("sunny", "rainy", "cloudy", "rain", "\u00e9t\u00e9 chaud");
        Tokenizer tokenizer = tokenizer(vocabulary);
        SplittableRandom random = new SplittableRandom(seed);
        ConstrainedDecoding.Outcome outcome = ConstrainedDecoding.decode(tokenizer,
                structured(vocabulary).masks(ResponseFormat.choice(choices)), lastPromptToken(tokenizer, random),
                random.nextLong(), 64);
        assertEquals(FinishReason.STOP, outcome.finishReason());
        assertTrue(choices.contains(outcome.text()), outcome.text());
    }

    @Property(tries = 40)
    void regexOutputsMatch(@ForAll("vocabularies") String vocabulary, @ForAll long seed) {
        String pattern = List.of("[A-Z]{3}-\\d{4}", "(yes|no), [a-z ]{0,12}\\.", "\\w+@\\w+\\.(com|org)",
                "[^\\n]{1,20}").get((int) Math.floorMod(seed, 4L));
        Tokenizer tokenizer = tokenizer(vocabulary);
        SplittableRandom random = new SplittableRandom(seed);
        ConstrainedDecoding.Outcome outcome = ConstrainedDecoding.decode(tokenizer,
                structured(vocabulary).masks(ResponseFormat.regex(pattern)), lastPromptToken(tokenizer, random),
                random.nextLong(), 200);
        if (outcome.finishReason() == FinishReason.STOP) {
            assertTrue(Pattern.matches(pattern, outcome.text()), () -> "/" + pattern + "/ gave '" + outcome.text() + "'");
        } else {
            // only an unbounded pattern may run out of tokens, and then its text is still a live prefix
            ByteDfa dfa = ResponseFormat.regex(pattern).compile();
            assertTrue(RandomWalk.longestOutputBytes(dfa) > 200, "a bounded pattern must finish: " + pattern);
            assertNotEquals(ByteDfa.DEAD, dfa.walk(0, outcome.text().getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Property(tries = 8)
    void jsonObjectOutputsParseAsObjects(@ForAll("vocabularies") String vocabulary, @ForAll long seed) {
        Tokenizer tokenizer = tokenizer(vocabulary);
        SplittableRandom random = new SplittableRandom(seed);
        ConstrainedDecoding.Outcome outcome = ConstrainedDecoding.decode(tokenizer,
                structured(vocabulary).masks(ResponseFormat.jsonObject()), lastPromptToken(tokenizer, random),
                random.nextLong(), 300);
        if (outcome.finishReason() == FinishReason.STOP) {
            SchemaValidation.assertValid("{\"type\":\"object\"}", outcome.text());
        }
    }

    @Test
    void spmMaskHasTheByteTokenAndThePieceButNeverControlTokens() {
        Tokenizer spm = tokenizer("ggml-vocab-llama-spm.gguf");
        TokenMasks masks = structured("ggml-vocab-llama-spm.gguf").masks(ResponseFormat.regex(" the|\\{"));
        long[] mask = masks.mask(0);
        int[] spaceThe = spm.encode("the", false);
        assertEquals(1, spaceThe.length, "'\u2581the' is one SPM piece");
        assertTrue(isSet(mask, spaceThe[0]), "'\u2581the' decodes to ' the'");
        assertTrue(isSet(mask, spm.encode("{", false)[0]) || isSet(mask, 0x7B + 3), "'{' or its byte token");
        assertTrue(isSet(mask, 0x20 + 3), "byte token <0x20> (space) starts ' the'");
        assertTrue(!isSet(mask, spm.bosId()) && !isSet(mask, spm.eosId()), "control tokens are never allowed");
        long[] afterBos = new TokenConstraint(masks).allowedTokens(spm.bosId());
        assertTrue(!isSet(afterBos, spaceThe[0]), "after BOS '\u2581the' prints 'the', so it is left out");
    }

    @Test
    void bpeMaskFollowsByteLevelPieces() {
        Tokenizer gpt2 = tokenizer("ggml-vocab-gpt-2.gguf");
        TokenMasks masks = structured("ggml-vocab-gpt-2.gguf").masks(ResponseFormat.choice(List.of(" hello")));
        int[] ids = gpt2.encode(" hello", false);
        assertEquals(1, ids.length, "'\u0120hello' is one GPT-2 token");
        assertTrue(isSet(masks.mask(0), ids[0]));
        assertTrue(!isSet(masks.mask(0), gpt2.encode("hello", false)[0]), "'hello' lacks the leading space");
        assertTrue(!isSet(masks.mask(0), gpt2.eosId()), "<|endoftext|> only where the output is complete");
    }

    @Test
    void byteTokenizerMasksOnlyByteIds() {
        long[] mask = structured("bytes").masks(ResponseFormat.regex("[ab]")).mask(0);
        for (int id = 0; id < 32000; id++) {
            assertEquals(id == 'a' + 3 || id == 'b' + 3, isSet(mask, id), "id " + id);
        }
    }

    @Test
    void theOracleRejectsInvalidOutput() {
        assertThrows(AssertionFailedError.class, () -> SchemaValidation.assertValid("{\"type\":\"integer\"}", "\"x\""));
    }

    private static int lastPromptToken(Tokenizer tokenizer, SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            return tokenizer.bosId() >= 0 ? tokenizer.bosId() : 0;
        }
        String prompt = PROMPT_WORDS[random.nextInt(PROMPT_WORDS.length)] + " " + PROMPT_WORDS[random.nextInt(PROMPT_WORDS.length)];
        int[] ids = tokenizer.encode(prompt, false);
        return ids[ids.length - 1];
    }

    private static boolean isSet(long[] mask, int id) {
        return (mask[id >>> 6] >>> id & 1L) != 0;
    }
}
