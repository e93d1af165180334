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

    /** Loads the model of {@code settings}, with its context-length override applied. */
    public static Model load(InferenceSettings settings) {
        String spec = settings.model();
        String tokenizer = settings.tokenizer();
        if (spec.equals(BUILTIN_STORIES)) {
            if (tokenizer != null) {
                throw new IllegalArgumentException(InferenceOptions.TOKENIZER.key() + " must not be set with "
                        + InferenceOptions.MODEL.key() + " = " + BUILTIN_STORIES + " (it brings its own)");
            }
            Path dir = builtinDir();
            spec = dir.resolve("stories260K.bin").toString();
            tokenizer = dir.resolve("tok512.bin").toString();
        } else if (spec.startsWith("builtin:")) {
            throw new IllegalArgumentException(InferenceOptions.MODEL.key() + " = " + spec
                    + ": the only built-in model is " + BUILTIN_STORIES);
        }
        Model model = ModelLoader.load(spec, tokenizer == null ? null : Path.of(tokenizer), null,
                new DefaultTokenizerFactory());
        if (settings.contextLength() != null) {
            model = model.withContextLength(settings.contextLength());
        }
        return model;
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
