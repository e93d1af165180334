package io.prefixflow.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Arbitrary bytes as a llama2.c checkpoint header: the 28 bytes are refused with a {@link ModelFormatException},
 * or give a configuration the engine accepts and a file size that does not overflow. Seeds:
 * {@code src/test/resources/io/prefixflow/runtime/model/Llama2cHeaderFuzzTestInputs/checkpoint/}.
 *
 * <p>NOTE: it does not load a file per input: loading maps every weight matrix, and the mappings of a few hundred
 * thousand loads outlive their garbage long enough to exhaust the process's memory mappings (the JVM died with
 * errno 12 after 262,144 inputs). {@code Llama2cCheckpointTest} loads real and truncated files.
 */
class Llama2cHeaderFuzzTest {
    private static final Path LABEL = Path.of("fuzz.bin");

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
        assertEquals(header.dim() / header.numHeads(), header.headSize());
        long sizeBytes = header.expectedFileSizeBytes();
        assertTrue(sizeBytes > Llama2cHeader.SIZE_BYTES && (sizeBytes - Llama2cHeader.SIZE_BYTES) % Float.BYTES == 0,
                () -> header + " gives file size " + sizeBytes);
    }
}
