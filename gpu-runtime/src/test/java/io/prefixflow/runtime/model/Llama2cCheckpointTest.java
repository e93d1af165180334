package io.prefixflow.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.tensor.WeightMatrix;
import io.prefixflow.runtime.testing.SharedData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cCheckpointTest {
    private static final long STORIES_260K_BYTES = 1_056_540;

    @TempDir
    Path dir;

    @Test
    void loadsStories260K() {
        Path file = SharedData.model("stories260K.bin");
        Model model = Llama2cCheckpoint.load(file, null);
        ModelConfig c = model.config();
        assertEquals(64, c.dim());
        assertEquals(172, c.hiddenDim());
        assertEquals(5, c.numLayers());
        assertEquals(8, c.numHeads());
        assertEquals(4, c.numKvHeads());
        assertEquals(512, c.vocabSize());
        assertEquals(512, c.contextLength());
        assertEquals(1e-5f, c.rmsEps());
        assertEquals(10_000f, c.ropeTheta());
        assertEquals(RopeStyle.ADJACENT_PAIRS, c.ropeStyle());
        assertSame(model.weights().tokenEmbedding(), model.weights().classifier());
        assertEquals(Set.of(1), model.stopTokenIds());
        assertNull(model.tokenizer());
        assertNull(model.chatTemplate());
        assertEquals(STORIES_260K_BYTES, Llama2cCheckpoint.readHeader(file).expectedFileSizeBytes());
    }

    /** Every float of a synthetic checkpoint holds its own index, so each tensor's offset can be checked. */
    @Test
    void mapsEveryTensorAtItsOffsetIncludingASeparateClassifier() throws Exception {
        Llama2cHeader h = new Llama2cHeader(8, 12, 2, 2, 1, 5, false, 4);
        Path file = writeIndexed(h, -h.vocabSize());
        Model model = Llama2cCheckpoint.load(file, null);
        ModelWeights w = model.weights();
        int dim = h.dim();
        int kvDim = h.kvDim();
        int hidden = h.hiddenDim();
        int layers = h.numLayers();
        int at = 0;
        at = assertMatrix(w.tokenEmbedding(), at);
        for (int l = 0; l < layers; l++) {
            assertVector(w.layers().get(l).attnNorm(), at + l * dim);
        }
        at += layers * dim;
        for (int l = 0; l < layers; l++) {
            assertMatrix(w.layers().get(l).wq(), at + l * dim * dim);
        }
        at += layers * dim * dim;
        for (int l = 0; l < layers; l++) {
            assertMatrix(w.layers().get(l).wk(), at + l * kvDim * dim);
        }
        at += layers * kvDim * dim;
        for (int l = 0; l < layers; l++) {
            assertMatrix(w.layers().get(l).wv(), at + l * kvDim * dim);
        }
        at += layers * kvDim * dim;
        for (int l = 0; l < layers; l++) {
            assertMatrix(w.layers().get(l).wo(), at + l * dim * dim);
        }
        at += layers * dim * dim;
        for (int l = 0; l < layers; l++) {
            assertVector(w.layers().get(l).ffnNorm(), at + l * dim);
        }
        at += layers * dim;
        for (int l = 0; l < layers; l++) {
            assertMatrix(w.layers().get(l).w1(), at + l * hidden * dim);
        }
        at += layers * hidden * dim;
        for (int l = 0; l < layers; l++) {
            assertMatrix(w.layers().get(l).w2(), at + l * dim * hidden);
        }
        at += layers * dim * hidden;
        for (int l = 0; l < layers; l++) {
            assertMatrix(w.layers().get(l).w3(), at + l * hidden * dim);
        }
        at += layers * hidden * dim;
        assertVector(w.finalNorm(), at);
        at += dim + h.seqLen() * h.headSize();
        assertNotSame(w.tokenEmbedding(), w.classifier());
        assertEquals(h.vocabSize(), w.classifier().rows());
        assertEquals((h.expectedFileSizeBytes() - Llama2cHeader.SIZE_BYTES) / 4, assertMatrix(w.classifier(), at));
    }

    private static int assertMatrix(WeightMatrix m, int firstIndex) {
        float[] row = new float[m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            m.copyRow(r, row, 0);
            for (int c = 0; c < m.cols(); c++) {
                assertEquals(firstIndex + r * m.cols() + c, row[c], "row " + r + " col " + c);
            }
        }
        return firstIndex + m.rows() * m.cols();
    }

    private static void assertVector(float[] v, int firstIndex) {
        for (int i = 0; i < v.length; i++) {
            assertEquals(firstIndex + i, v[i]);
        }
    }

    private Path writeIndexed(Llama2cHeader h, int storedVocab) throws Exception {
        int numFloats = (int) ((h.expectedFileSizeBytes() - Llama2cHeader.SIZE_BYTES) / 4);
        ByteBuffer b = ByteBuffer.allocate(Llama2cHeader.SIZE_BYTES + numFloats * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(h.dim()).putInt(h.hiddenDim()).putInt(h.numLayers()).putInt(h.numHeads()).putInt(h.numKvHeads())
                .putInt(storedVocab).putInt(h.seqLen());
        for (int i = 0; i < numFloats; i++) {
            b.putFloat(i);
        }
        return Files.write(dir.resolve("indexed.bin"), b.array());
    }

    @Test
    void truncatedFileNamesExpectedAndActualSize() throws Exception {
        byte[] whole = Files.readAllBytes(SharedData.model("stories260K.bin"));
        Path file = Files.write(dir.resolve("cut.bin"), Arrays.copyOf(whole, whole.length - 1000));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Llama2cCheckpoint.load(file, null));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("size is " + (STORIES_260K_BYTES - 1000) + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("needs exactly " + STORIES_260K_BYTES), e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() throws Exception {
        byte[] whole = Files.readAllBytes(SharedData.model("stories260K.bin"));
        Path file = Files.write(dir.resolve("long.bin"), Arrays.copyOf(whole, whole.length + 4));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Llama2cCheckpoint.load(file, null));
        assertTrue(e.getMessage().contains("needs exactly " + STORIES_260K_BYTES), e.getMessage());
    }

    @Test
    void negativeVocabWithoutTheClassifierIsASizeMismatch() throws Exception {
        byte[] bytes = Files.readAllBytes(SharedData.model("stories260K.bin"));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(5 * 4, -512);
        Path file = Files.write(dir.resolve("separate.bin"), bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Llama2cCheckpoint.load(file, null));
        assertTrue(e.getMessage().contains("needs exactly " + (STORIES_260K_BYTES + 512 * 64 * 4)), e.getMessage());
    }

    @Test
    void implausibleHeaderNamesTheField() throws Exception {
        byte[] bytes = Files.readAllBytes(SharedData.model("stories260K.bin"));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(3 * 4, 7); // n_heads 7 does not divide 64
        Path file = Files.write(dir.resolve("heads.bin"), bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Llama2cCheckpoint.readHeader(file));
        assertTrue(e.getMessage().contains("n_heads 7"), e.getMessage());
    }

    @Test
    void fileShorterThanTheHeaderIsAnError() throws Exception {
        Path file = Files.write(dir.resolve("short.bin"), new byte[10]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Llama2cCheckpoint.readHeader(file));
        assertTrue(e.getMessage().contains("10 bytes"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent.bin");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Llama2cCheckpoint.load(file, null));
        assertEquals(file + ": no such file", e.getMessage());
    }

    @Test
    void tokenizerOfAnotherVocabularyIsAnError() {
        Path file = SharedData.model("stories260K.bin");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Llama2cCheckpoint.load(file, new StubTokenizer(32_000)));
        assertTrue(e.getMessage().contains("32000 tokens") && e.getMessage().contains("512"), e.getMessage());
    }
}
