package io.prefixflow.runtime.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.model.ModelFormatException;
import io.prefixflow.runtime.tensor.GgmlType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryMetadataTypeTheWriterWrites() {
        Path file = new GgufTestWriter()
                .put("u32", 7)
                .put("u64", 1L << 40)
                .put("f32", 0.5f)
                .put("f64", 0.25)
                .put("flag", true)
                .put("name", "tiny ✓")
                .put("tokens", new String[] {"a", "bc"})
                .put("ids", new int[] {-1, 2})
                .put("scores", new float[] {1.5f})
                .write(dir.resolve("meta.gguf"));
        GgufFile gguf = GgufFile.open(file);
        try {
            assertEquals(3, gguf.version());
            assertEquals(7L, gguf.getLong("u32"));
            assertEquals(1L << 40, gguf.getLong("u64"));
            assertEquals(0.5, gguf.getDouble("f32", 0));
            assertEquals(0.25, gguf.getDouble("f64", 0));
            assertEquals(true, gguf.get("flag", Boolean.class));
            assertEquals("tiny ✓", gguf.getString("name"));
            assertArrayEquals(new String[] {"a", "bc"}, gguf.get("tokens", String[].class));
            assertArrayEquals(new long[] {-1, 2}, gguf.get("ids", long[].class));
            assertArrayEquals(new double[] {1.5}, gguf.get("scores", double[].class));
        } finally {
            gguf.close();
        }
    }

    @Test
    void locatesAlignedTensorDataInVersion2And3() {
        for (int version : new int[] {2, 3}) {
            float[] a = {1, 2, 3};
            float[] b = {4, 5, 6, 7, 8, 9};
            Path file = new GgufTestWriter().version(version)
                    .f32Tensor("a", a, 3)
                    .f32Tensor("b", b, 3, 2)
                    .write(dir.resolve("v" + version + ".gguf"));
            GgufFile gguf = GgufFile.open(file);
            try {
                GgufFile.TensorInfo info = gguf.tensor("b");
                assertEquals(GgmlType.F32, info.type());
                assertArrayEquals(new long[] {3, 2}, info.dims());
                assertEquals(0, info.fileOffset() % 32);
                ByteBuffer data = gguf.map(info);
                float[] read = new float[6];
                data.asFloatBuffer().get(read);
                assertArrayEquals(b, read);
            } finally {
                gguf.close();
            }
        }
    }

    @Test
    void unsupportedTensorTypeIsAnErrorNamingFileTensorTypeAndSupportedTypes() {
        for (int typeId : new int[] {17, 35, 39, 99}) { // IQ2_XS, TQ2_0, MXFP4, no such type
            Path file = new GgufTestWriter()
                    .tensor("blk.0.attn_q.weight", typeId, new byte[66], 256)
                    .write(dir.resolve("type" + typeId + ".gguf"));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> GgufFile.open(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("'blk.0.attn_q.weight'"), e.getMessage());
            assertTrue(e.getMessage().contains(GgmlType.ggufName(typeId) + " (id " + typeId + ")"), e.getMessage());
            assertTrue(e.getMessage().contains("supported: " + GgmlType.supportedNames()), e.getMessage());
        }
        assertEquals("IQ2_XS", GgmlType.ggufName(17));
        assertEquals("MXFP4", GgmlType.ggufName(39));
    }

    @Test
    void readsEveryBlockQuantizedTypeItSupports() {
        for (GgmlType type : GgmlType.values()) {
            long values = 2L * 256;
            Path file = new GgufTestWriter()
                    .tensor("w", type.ggufId(), new byte[(int) type.bytesFor(values)], 256, 2)
                    .write(dir.resolve(type + ".gguf"));
            GgufFile gguf = GgufFile.open(file);
            try {
                assertEquals(type, gguf.tensor("w").type());
                assertEquals(type.bytesFor(values), gguf.tensor("w").sizeBytes());
            } finally {
                gguf.close();
            }
        }
    }

    @Test
    void truncatedTensorDataIsAnError() throws Exception {
        byte[] whole = new GgufTestWriter().f32Tensor("w", new float[64], 8, 8).toBytes();
        Path file = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(whole, whole.length - 10));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> GgufFile.open(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsAnError() throws Exception {
        byte[] whole = new GgufTestWriter().put("general.name", "x").f32Tensor("w", new float[4], 4).toBytes();
        for (int length : new int[] {6, 20, 30}) {
            Path file = Files.write(dir.resolve("head" + length + ".gguf"), Arrays.copyOf(whole, length));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> GgufFile.open(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void wrongMagicIsAnError() throws Exception {
        Path file = Files.writeString(dir.resolve("text.gguf"), "hello, not a model");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> GgufFile.open(file));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void elementCountThatIsNotAWholeNumberOfBlocksIsAFormatError() {
        Path file = new GgufTestWriter().tensor("q", 8, new byte[34], 33).write(dir.resolve("q8.gguf"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> GgufFile.open(file));
        assertTrue(e.getMessage().contains("'q'"), e.getMessage());
    }
}
