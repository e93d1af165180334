package io.prefixflow.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Arbitrary bytes as a llama2.c checkpoint: the 28-byte header is refused with a {@link ModelFormatException}
 * or gives a configuration the engine accepts and a file size that does not overflow; when that size is small,
 * a file of exactly that size (the rest of the input, zero-padded) loads. Seeds:
 * {@code src/test/resources/io/prefixflow/runtime/model/Llama2cHeaderFuzzTestInputs/checkpoint/}.
 */
class Llama2cHeaderFuzzTest {
    private static final Path LABEL = Path.of("fuzz.bin");
    /** Checkpoints up to this size are written out and loaded. */
    private static final long MAX_LOADED_BYTES = 256 * 1024;

    @FuzzTest
    void checkpoint(byte[] bytes) {
        if (bytes.length < Llama2cHeader.SIZE_BYTES) {
            return;
        }
        Llama2cHeader header;
        try {
            header = Llama2cCheckpoint.parseHeader(LABEL, ByteBuffer.wrap(bytes));
        } catch (ModelFormatException expected) {
            return;
        }
        ModelConfig config = header.toConfig();
        assertEquals(header.vocabSize(), config.vocabSize());
        long sizeBytes = header.expectedFileSizeBytes();
        assertTrue(sizeBytes > Llama2cHeader.SIZE_BYTES, () -> header + " gives file size " + sizeBytes);
        if (sizeBytes > MAX_LOADED_BYTES) {
            return;
        }
        byte[] file = java.util.Arrays.copyOf(bytes, (int) sizeBytes);
        Path path = null;
        try {
            path = Files.createTempFile("fuzz", ".bin");
            Files.write(path, file);
            Model model = Llama2cCheckpoint.load(path, null);
            assertEquals(config, model.config());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (path != null) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // A temp file left behind is harmless.
                }
            }
        }
    }
}
