package io.prefixflow.operator.config;

import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.tokenizer.DefaultTokenizerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads the model an {@link InferenceSettings} names, including the built-in one.
 *
 * <p>{@value #BUILTIN_STORIES} is Andrej Karpathy's stories260K TinyStories model with its 512-token
 * tokenizer (MIT; see {@code NOTICE} beside the resources). It ships inside the jar so that the quickstart
 * needs no download; it is copied to a temporary folder once per JVM, because the loaders read files.
 */
public final class ModelSpecs {
    /** The spec of the built-in model. */
    public static final String BUILTIN_STORIES = "builtin:stories260K";

    private static final String RESOURCE_DIR = "/io/prefixflow/operator/builtin/";
    private static Path extractedDir;

    private ModelSpecs() {
    }

    /**
     * A model spec as {@code ModelLoader} reads it: the built-in model unpacked to files.
     *
     * @param spec      a file path or {@code dummy:SHAPE}
     * @param tokenizer the llama2.c tokenizer file, or null
     */
    public record Resolved(String spec, Path tokenizer) {
    }

    /** Loads the model of {@code settings}, with its context-length override applied. */
    public static Model load(InferenceSettings settings) {
        return load(settings.model(), settings.tokenizer(), settings.contextLength(), InferenceOptions.MODEL.key(),
                InferenceOptions.TOKENIZER.key());
    }

    /**
     * Loads a model spec (the built-in one included), with a context-length override when not null; errors name
     * {@code modelKey} and {@code tokenizerKey}, the options the values came from.
     */
    public static Model load(String model, String tokenizer, Integer contextLength, String modelKey,
                             String tokenizerKey) {
        Resolved resolved = resolve(model, tokenizer == null ? null : Path.of(tokenizer), modelKey, tokenizerKey);
        Model loaded = ModelLoader.load(resolved.spec(), resolved.tokenizer(), null, new DefaultTokenizerFactory());
        return contextLength == null ? loaded : loaded.withContextLength(contextLength);
    }

    /**
     * Resolves {@code spec}: {@value #BUILTIN_STORIES} becomes the unpacked files, anything else passes through.
     * The same spec means the same model for the job, Flink SQL and the CLI.
     *
     * @param modelOption     the name of the option that gave {@code spec}, for error messages
     * @param tokenizerOption the name of the option that gave {@code tokenizer}, for error messages
     */
    public static Resolved resolve(String spec, Path tokenizer, String modelOption, String tokenizerOption) {
        if (spec.equals(BUILTIN_STORIES)) {
            if (tokenizer != null) {
                throw new IllegalArgumentException(tokenizerOption + " must not be set with " + modelOption + " = "
                        + BUILTIN_STORIES + " (it brings its own)");
            }
            Path dir = builtinDir();
            return new Resolved(dir.resolve("stories260K.bin").toString(), dir.resolve("tok512.bin"));
        }
        if (spec.startsWith("builtin:")) {
            throw new IllegalArgumentException(modelOption + " = " + spec + ": the only built-in model is "
                    + BUILTIN_STORIES);
        }
        return new Resolved(spec, tokenizer);
    }

    private static synchronized Path builtinDir() {
        if (extractedDir != null) {
            return extractedDir;
        }
        try {
            Path dir = Files.createTempDirectory("prefixflow-builtin-model");
            for (String file : new String[] {"stories260K.bin", "tok512.bin"}) {
                try (InputStream in = ModelSpecs.class.getResourceAsStream(RESOURCE_DIR + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the built-in model resource " + RESOURCE_DIR + file
                                + " is missing from the classpath");
                    }
                    Path target = dir.resolve(file);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().deleteOnExit();
                }
            }
            dir.toFile().deleteOnExit();
            extractedDir = dir;
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the built-in model " + BUILTIN_STORIES, e);
        }
    }
}
