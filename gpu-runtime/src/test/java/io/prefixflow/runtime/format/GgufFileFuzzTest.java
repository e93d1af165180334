package io.prefixflow.runtime.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.prefixflow.runtime.model.ModelFormatException;
import io.prefixflow.runtime.tokenizer.GgufTokenizers;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Arbitrary bytes as a GGUF file: the header, metadata and tensor infos either parse into tensors that lie
 * inside the file, or fail with a {@link ModelFormatException}; a file that parses and describes a tokenizer
 * builds one or fails the same way. Nothing else may escape (no overflow, no huge allocation, no stack
 * overflow). Seeds: {@code src/test/resources/io/prefixflow/runtime/format/GgufFileFuzzTestInputs/parse/}.
 */
class GgufFileFuzzTest {
    private static final Path LABEL = Path.of("fuzz.gguf");

    @FuzzTest
    void parse(byte[] bytes) {
        GgufFile file;
        try {
            file = GgufFile.parse(LABEL, ByteBuffer.wrap(bytes));
        } catch (ModelFormatException expected) {
            return;
        }
        for (GgufFile.TensorInfo t : file.tensors().values()) {
            assertTrue(t.fileOffset() >= 0 && t.sizeBytes() >= 0 && t.fileOffset() + t.sizeBytes() <= bytes.length,
                    () -> "tensor " + t.name() + " at " + t.fileOffset() + " + " + t.sizeBytes()
                            + " bytes lies outside the " + bytes.length + "-byte file");
        }
        if (file.has("tokenizer.ggml.model")) {
            try {
                GgufTokenizers.fromGguf(file);
            } catch (ModelFormatException expected) {
                // Refused with a message naming the file: fine.
            }
        }
    }
}
