package io.prefixflow.runtime.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A named model shape for {@code dummy:NAME} models.
 *
 * @param name             what follows {@code dummy:}
 * @param config           the shape and numerics
 * @param sharedClassifier true when the classifier is the token embedding (tied weights)
 */
public record DummyShape(String name, ModelConfig config, boolean sharedClassifier) {
    /** A small shape for tests: GQA with 2 query heads per KV head, every width a multiple of 32. */
    public static final DummyShape TINY = new DummyShape("tiny",
            new ModelConfig(64, 192, 2, 4, 2, 256, 256, 1e-5f, 10_000f, RopeStyle.ADJACENT_PAIRS), true);

    /** The shape of llama2.c's stories110M (Llama 2 vocabulary): 109,529,856 parameters. */
    public static final DummyShape LLAMA_110M = new DummyShape("llama-110m",
            new ModelConfig(768, 2048, 12, 12, 12, 32_000, 1024, 1e-5f, 10_000f, RopeStyle.ADJACENT_PAIRS), true);

    /**
     * The shape of Llama 3.2 1B. NOTE: the real model serves 131,072 tokens; the context is capped at
     * 8,192 here so that KV caches sized from {@code contextLength} stay small in benchmarks.
     */
    public static final DummyShape LLAMA_1B = new DummyShape("llama-1b",
            new ModelConfig(2048, 8192, 16, 32, 8, 128_256, 8192, 1e-5f, 500_000f, RopeStyle.ADJACENT_PAIRS), true);

    /** Every known shape. */
    public static final List<DummyShape> KNOWN = List.of(TINY, LLAMA_110M, LLAMA_1B);

    public DummyShape {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a dummy shape needs a name");
        }
    }

    /** The known shape called {@code name}, or null. */
    public static DummyShape byName(String name) {
        return KNOWN.stream().filter(s -> s.name.equals(name)).findFirst().orElse(null);
    }

    /** The known shapes' names, comma-separated, for messages. */
    public static String knownNames() {
        return KNOWN.stream().map(DummyShape::name).collect(Collectors.joining(", "));
    }

    /** Number of weights: matrices and norm vectors, the classifier counted once when it is shared. */
    public long parameterCount() {
        ModelConfig c = config;
        long dim = c.dim();
        long perLayer = 2 * dim * dim + 2L * c.kvDim() * dim + 3L * c.hiddenDim() * dim + 2 * dim;
        long embedding = (long) c.vocabSize() * dim;
        return embedding + c.numLayers() * perLayer + dim + (sharedClassifier ? 0 : embedding);
    }
}
