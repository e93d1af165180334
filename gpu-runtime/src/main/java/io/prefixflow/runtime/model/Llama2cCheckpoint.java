package io.prefixflow.runtime.model;

import io.prefixflow.runtime.tensor.GgmlType;
import io.prefixflow.runtime.tensor.WeightMatrices;
import io.prefixflow.runtime.tensor.WeightMatrix;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Loads a legacy llama2.c checkpoint ({@code run.c}'s format, see {@link Llama2cHeader} for the layout).
 * Each weight matrix is a memory-mapped view of its bytes in the file; norm weights are copied.
 *
 * <p>Stop tokens are {1}: run.c ends a generation when it samples BOS.
 */
public final class Llama2cCheckpoint {
    /** run.c's BOS id, the only token that stops its generation. */
    public static final int BOS_ID = 1;

    private Llama2cCheckpoint() {
    }

    /** Reads and checks the header of {@code file}. */
    public static Llama2cHeader readHeader(Path file) {
        try (FileChannel channel = open(file)) {
            ByteBuffer bytes = ByteBuffer.allocate(Llama2cHeader.SIZE_BYTES);
            while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
                // Keep reading: a read may return fewer bytes than asked.
            }
            if (bytes.hasRemaining()) {
                throw new ModelFormatException(file, "not a llama2.c checkpoint: " + bytes.position()
                        + " bytes, shorter than the " + Llama2cHeader.SIZE_BYTES + "-byte header");
            }
            return parseHeader(file, bytes.flip());
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    static Llama2cHeader parseHeader(Path file, ByteBuffer bytes) {
        try {
            return Llama2cHeader.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "not a llama2.c checkpoint: implausible header, " + e.getMessage(), e);
        }
    }

    /**
     * Loads {@code file}.
     *
     * @param tokenizer the tokenizer from the matching {@code tokenizer.bin}, or null to run on token ids
     */
    public static Model load(Path file, Tokenizer tokenizer) {
        return load(file, readHeader(file), tokenizer);
    }

    /** Loads {@code file} whose header was already read. */
    public static Model load(Path file, Llama2cHeader header, Tokenizer tokenizer) {
        ModelConfig config = header.toConfig();
        if (tokenizer != null && tokenizer.vocabSize() != config.vocabSize()) {
            throw new ModelFormatException(file, "the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the checkpoint's vocab_size is " + config.vocabSize());
        }
        try (FileChannel channel = open(file)) {
            long actualBytes = channel.size();
            long expectedBytes = header.expectedFileSizeBytes();
            if (actualBytes != expectedBytes) {
                throw new ModelFormatException(file, "size is " + actualBytes + " bytes but the header " + header
                        + " needs exactly " + expectedBytes + (actualBytes < expectedBytes ? " (truncated?)" : ""));
            }
            ModelWeights weights = new TensorReader(file, channel).read(header);
            return new Model(file.getFileName().toString(), config, weights, tokenizer, Set.of(BOS_ID), null);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static FileChannel open(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file, "no such file", e);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot open: " + e.getMessage(), e);
        }
    }

    /** Walks the file's tensors in order, mapping matrices and copying vectors. */
    private static final class TensorReader {
        private final Path file;
        private final FileChannel channel;
        private long offsetBytes = Llama2cHeader.SIZE_BYTES;

        TensorReader(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        ModelWeights read(Llama2cHeader h) throws IOException {
            int layers = h.numLayers();
            int dim = h.dim();
            int kvDim = h.kvDim();
            int hidden = h.hiddenDim();
            WeightMatrix embedding = matrix(h.vocabSize(), dim);
            float[][] rmsAtt = vectors(layers, dim);
            WeightMatrix[] wq = matrices(layers, dim, dim);
            WeightMatrix[] wk = matrices(layers, kvDim, dim);
            WeightMatrix[] wv = matrices(layers, kvDim, dim);
            WeightMatrix[] wo = matrices(layers, dim, dim);
            float[][] rmsFfn = vectors(layers, dim);
            WeightMatrix[] w1 = matrices(layers, hidden, dim);
            WeightMatrix[] w2 = matrices(layers, dim, hidden);
            WeightMatrix[] w3 = matrices(layers, hidden, dim);
            float[] finalNorm = vectors(1, dim)[0];
            offsetBytes += (long) h.seqLen() * h.headSize() * Float.BYTES; // legacy freq_cis, unused
            WeightMatrix classifier = h.sharedClassifier() ? embedding : matrix(h.vocabSize(), dim);
            List<LayerWeights> layerWeights = new ArrayList<>(layers);
            for (int l = 0; l < layers; l++) {
                layerWeights.add(new LayerWeights(rmsAtt[l], wq[l], wk[l], wv[l], wo[l], null, null, null,
                        rmsFfn[l], w1[l], w2[l], w3[l]));
            }
            return new ModelWeights(embedding, layerWeights, finalNorm, classifier);
        }

        private WeightMatrix matrix(int rows, int cols) throws IOException {
            long sizeBytes = (long) rows * cols * Float.BYTES;
            if (sizeBytes > Integer.MAX_VALUE) {
                throw new ModelFormatException(file, "a " + rows + " x " + cols + " matrix is larger than 2 GiB");
            }
            WeightMatrix m = WeightMatrices.of(GgmlType.F32, map(sizeBytes), 0, rows, cols);
            offsetBytes += sizeBytes;
            return m;
        }

        private WeightMatrix[] matrices(int count, int rows, int cols) throws IOException {
            WeightMatrix[] result = new WeightMatrix[count];
            for (int i = 0; i < count; i++) {
                result[i] = matrix(rows, cols);
            }
            return result;
        }

        private float[][] vectors(int count, int length) throws IOException {
            long sizeBytes = (long) count * length * Float.BYTES;
            ByteBuffer bytes = map(sizeBytes);
            float[][] result = new float[count][length];
            for (float[] v : result) {
                bytes.asFloatBuffer().get(v);
                bytes.position(bytes.position() + length * Float.BYTES);
            }
            offsetBytes += sizeBytes;
            return result;
        }

        private ByteBuffer map(long sizeBytes) throws IOException {
            return channel.map(FileChannel.MapMode.READ_ONLY, offsetBytes, sizeBytes).order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
