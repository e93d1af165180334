package io.prefixflow.runtime.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes metadata-only GGUF v3 files for tests: strings, booleans, u32, and arrays of strings, f32, i32. */
final class TinyGguf {
    private final Map<String, Object> metadata = new LinkedHashMap<>();

    TinyGguf put(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    Path write(Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le(4).putInt(3).array());
        out.writeBytes(le(8).putLong(0).array());
        out.writeBytes(le(8).putLong(metadata.size()).array());
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            string(out, e.getKey());
            value(out, e.getValue());
        }
        Files.write(file, out.toByteArray());
        return file;
    }

    private static void value(ByteArrayOutputStream out, Object v) {
        if (v instanceof String s) {
            out.writeBytes(le(4).putInt(8).array());
            string(out, s);
        } else if (v instanceof Boolean b) {
            out.writeBytes(le(4).putInt(7).array());
            out.write(b ? 1 : 0);
        } else if (v instanceof Integer i) {
            out.writeBytes(le(4).putInt(4).array());
            out.writeBytes(le(4).putInt(i).array());
        } else if (v instanceof String[] a) {
            out.writeBytes(le(4).putInt(9).array());
            out.writeBytes(le(4).putInt(8).array());
            out.writeBytes(le(8).putLong(a.length).array());
            for (String s : a) {
                string(out, s);
            }
        } else if (v instanceof float[] a) {
            out.writeBytes(le(4).putInt(9).array());
            out.writeBytes(le(4).putInt(6).array());
            out.writeBytes(le(8).putLong(a.length).array());
            for (float f : a) {
                out.writeBytes(le(4).putFloat(f).array());
            }
        } else if (v instanceof int[] a) {
            out.writeBytes(le(4).putInt(9).array());
            out.writeBytes(le(4).putInt(5).array());
            out.writeBytes(le(8).putLong(a.length).array());
            for (int i : a) {
                out.writeBytes(le(4).putInt(i).array());
            }
        } else {
            throw new IllegalArgumentException("unsupported test metadata value " + v);
        }
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(le(8).putLong(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
