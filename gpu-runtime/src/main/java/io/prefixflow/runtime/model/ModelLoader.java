package io.prefixflow.runtime.model;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.tensor.GgmlType;
import io.prefixflow.runtime.tokenizer.ByteTokenizer;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Loads a model from a command-line style spec:
 * <ul>
 *   <li>{@code dummy:NAME}: random weights of a known shape ({@link DummyModels}), stored as the given
 *       dtype (default F32): a type or a K-quant mix ({@link QuantRecipe}); a tokenizer file is
 *       optional and must match the shape's vocabulary; without
 *       one, shapes whose vocabulary holds every byte get a {@link ByteTokenizer};</li>
 *   <li>a file starting with the magic {@code GGUF}: {@link GgufModelLoader}, tokenizer from the file;</li>
 *   <li>any other file: a llama2.c checkpoint ({@link Llama2cCheckpoint}), tokenizer from the optional
 *       separate {@code tokenizer.bin}.</li>
 * </ul>
 * A file's weights are used in the type they are stored in: a dtype that differs from the file's is an
 * error, never a conversion. For GGUF the file's type is that of {@code blk.0.attn_q.weight}.
 *
 * <p>Usage: {@code Model m = ModelLoader.load("stories260K.bin", Path.of("tok512.bin"), null, factory);}
 */
public final class ModelLoader {
    public static final String DUMMY_PREFIX = "dummy:";

    private ModelLoader() {
    }

    /**
     * @param spec          {@code dummy:NAME} or a model file path
     * @param tokenizerPath a llama2.c {@code tokenizer.bin}, or null; not allowed with GGUF files
     * @param dtype         storage type for dummy models; for files, null or the file's own type
     * @param tokenizers    builds the tokenizer for the model
     */
    public static Model load(String spec, Path tokenizerPath, GgmlType dtype, TokenizerFactory tokenizers) {
        return loadStoredAs(spec, tokenizerPath, dtype == null ? null : QuantRecipe.uniform(dtype), tokenizers);
    }

    /**
     * As {@link #load(String, Path, GgmlType, TokenizerFactory)}, with a {@link QuantRecipe} (a type or a
     * K-quant mix such as {@code q4_k_m}) for dummy models; for files, null or the recipe the file follows,
     * judged by the type of {@code blk.0.attn_q.weight}.
     */
    public static Model loadStoredAs(String spec, Path tokenizerPath, QuantRecipe dtype, TokenizerFactory tokenizers) {
        if (spec.startsWith(DUMMY_PREFIX)) {
            return loadDummy(spec.substring(DUMMY_PREFIX.length()), tokenizerPath, dtype, tokenizers);
        }
        Path file = Path.of(spec);
        if (!Files.exists(file)) {
            throw new ModelFormatException(file, "no such file (a model spec is a file path or "
                    + DUMMY_PREFIX + "NAME with NAME one of " + DummyShape.knownNames() + ")");
        }
        ByteBuffer head = readHead(file);
        Model model = isGguf(head)
                ? loadGguf(file, tokenizerPath, tokenizers)
                : loadLlama2c(file, head, tokenizerPath, tokenizers);
        GgmlType fileType = model.weights().layers().get(0).wq().type();
        ModelConfig c = model.config();
        if (dtype != null && dtype.typeFor(TensorRole.ATTN_Q, 0, c.numLayers(), c.dim()) != fileType) {
            throw new ModelFormatException(file, "dtype " + dtype.name().toUpperCase(Locale.ROOT) + " was asked for but the file stores "
                    + fileType + " weights; files are used as stored (no conversion)");
        }
        return model;
    }

    private static Model loadDummy(String name, Path tokenizerPath, QuantRecipe dtype, TokenizerFactory tokenizers) {
        Model model = DummyModels.create(name, dtype == null ? QuantRecipe.uniform(GgmlType.F32) : dtype);
        if (tokenizerPath == null) {
            int vocab = model.config().vocabSize();
            return vocab < ByteTokenizer.MIN_VOCAB_SIZE ? model
                    : new Model(model.name(), model.config(), model.weights(), new ByteTokenizer(vocab),
                            model.stopTokenIds(), null);
        }
        Tokenizer tokenizer = tokenizers.fromLlama2cFile(tokenizerPath);
        if (tokenizer != null && tokenizer.vocabSize() != model.config().vocabSize()) {
            throw new ModelFormatException(tokenizerPath, "the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but " + model.name() + " has a vocabulary of " + model.config().vocabSize());
        }
        return new Model(model.name(), model.config(), model.weights(), tokenizer, model.stopTokenIds(), null);
    }

    private static Model loadGguf(Path file, Path tokenizerPath, TokenizerFactory tokenizers) {
        if (tokenizerPath != null) {
            throw new ModelFormatException(file, "is a GGUF file, which carries its own tokenizer; do not pass"
                    + " a tokenizer file (" + tokenizerPath + ")");
        }
        GgufFile gguf = GgufFile.open(file);
        try {
            return GgufModelLoader.load(gguf, tokenizers.fromGguf(gguf));
        } finally {
            gguf.close();
        }
    }

    private static Model loadLlama2c(Path file, ByteBuffer head, Path tokenizerPath, TokenizerFactory tokenizers) {
        if (head.remaining() < Llama2cHeader.SIZE_BYTES) {
            throw new ModelFormatException(file, "neither a GGUF file nor a llama2.c checkpoint: only "
                    + head.remaining() + " bytes");
        }
        Llama2cHeader header;
        try {
            header = Llama2cHeader.parse(head);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "neither a GGUF file (no \"GGUF\" magic) nor a llama2.c checkpoint"
                    + " (implausible header: " + e.getMessage() + ")", e);
        }
        Tokenizer tokenizer = tokenizerPath == null ? null : tokenizers.fromLlama2cFile(tokenizerPath);
        return Llama2cCheckpoint.load(file, header, tokenizer);
    }

    private static boolean isGguf(ByteBuffer head) {
        if (head.remaining() < 4) {
            return false;
        }
        byte[] magic = new byte[4];
        head.duplicate().get(magic);
        return "GGUF".equals(new String(magic, StandardCharsets.US_ASCII));
    }

    /** The first bytes of the file: enough for the GGUF magic or a llama2.c header. */
    private static ByteBuffer readHead(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(Llama2cHeader.SIZE_BYTES);
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // A read may return fewer bytes than asked.
            }
            return head.flip();
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + e.getMessage(), e);
        }
    }
}
