package io.prefixflow.runtime.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes small, valid GGUF files for tests (version 3 by default, little-endian, 32-byte alignment).
 *
 * <p>Metadata values map to GGUF types by their Java type: {@code Integer} uint32, {@code Long} uint64,
 * {@code Float} float32, {@code Double} float64, {@code Boolean} bool, {@code String} string,
 * {@code String[]}, {@code int[]} (int32) and {@code float[]} arrays. Tensors are raw bytes of any type id,
 * so a test can write types the reader does not support. Putting a key or tensor name again replaces it.
 */
public final class GgufTestWriter {
    private static final int ALIGNMENT = 32;

    private record Tensor(long[] dims, int typeId, byte[] data) {
    }

    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private int version = 3;

    public GgufTestWriter version(int version) {
        this.version = version;
        return this;
    }

    public GgufTestWriter put(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    public GgufTestWriter remove(String keyOrTensorName) {
        metadata.remove(keyOrTensorName);
        tensors.remove(keyOrTensorName);
        return this;
    }

    /** A tensor with dims innermost first (GGUF order) and raw data bytes. */
    public GgufTestWriter tensor(String name, int typeId, byte[] data, long... dims) {
        tensors.put(name, new Tensor(dims.clone(), typeId, data.clone()));
        return this;
    }

    public GgufTestWriter f32Tensor(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return tensor(name, 0, b.array(), dims);
    }

    /** An F16 tensor; values must be exactly representable in half precision (normal or zero). */
    public GgufTestWriter f16Tensor(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(toHalfExact(v));
        }
        return tensor(name, 1, b.array(), dims);
    }

    private static short toHalfExact(float v) {
        if (v == 0f) {
            return 0;
        }
        int bits = Float.floatToIntBits(v);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xFF) - 112;
        int mantissa = bits & 0x7F_FFFF;
        if (exponent <= 0 || exponent >= 31 || (mantissa & 0x1FFF) != 0) {
            throw new IllegalArgumentException(v + " is not exactly representable as a normal half");
        }
        return (short) (sign | exponent << 10 | mantissa >>> 13);
    }

    public byte[] toBytes() {
        Sink out = new Sink();
        out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.u32(version);
        out.u64(tensors.size());
        out.u64(metadata.size());
        metadata.forEach((key, value) -> {
            out.string(key);
            out.value(key, value);
        });
        long dataOffset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            out.string(e.getKey());
            out.u32(t.dims.length);
            for (long d : t.dims) {
                out.u64(d);
            }
            out.u32(t.typeId);
            out.u64(dataOffset);
            dataOffset = alignUp(dataOffset + t.data.length);
        }
        out.padTo(alignUp(out.size()));
        for (Tensor t : tensors.values()) {
            out.bytes(t.data);
            out.padTo(alignUp(out.size()));
        }
        return out.toArray();
    }

    public Path write(Path file) {
        try {
            Files.write(file, toBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long alignUp(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A growable little-endian byte sink. */
    private static final class Sink {
        private ByteBuffer buf = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);

        private void ensure(int more) {
            if (buf.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more))
                        .order(ByteOrder.LITTLE_ENDIAN);
                bigger.put(buf.flip());
                buf = bigger;
            }
        }

        long size() {
            return buf.position();
        }

        void bytes(byte[] b) {
            ensure(b.length);
            buf.put(b);
        }

        void u32(int v) {
            ensure(4);
            buf.putInt(v);
        }

        void u64(long v) {
            ensure(8);
            buf.putLong(v);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void padTo(long size) {
            while (buf.position() < size) {
                bytes(new byte[] {0});
            }
        }

        void value(String key, Object value) {
            if (value instanceof Integer i) {
                u32(4);
                u32(i);
            } else if (value instanceof Long l) {
                u32(10);
                u64(l);
            } else if (value instanceof Float f) {
                u32(6);
                u32(Float.floatToIntBits(f));
            } else if (value instanceof Double d) {
                u32(12);
                u64(Double.doubleToLongBits(d));
            } else if (value instanceof Boolean b) {
                u32(7);
                bytes(new byte[] {(byte) (b ? 1 : 0)});
            } else if (value instanceof String s) {
                u32(8);
                string(s);
            } else if (value instanceof String[] a) {
                arrayHeader(8, a.length);
                for (String s : a) {
                    string(s);
                }
            } else if (value instanceof int[] a) {
                arrayHeader(5, a.length);
                for (int v : a) {
                    u32(v);
                }
            } else if (value instanceof float[] a) {
                arrayHeader(6, a.length);
                for (float v : a) {
                    u32(Float.floatToIntBits(v));
                }
            } else {
                throw new IllegalArgumentException("metadata '" + key + "': unsupported value " + value);
            }
        }

        private void arrayHeader(int elementType, int length) {
            u32(9);
            u32(elementType);
            u64(length);
        }

        byte[] toArray() {
            byte[] out = new byte[buf.position()];
            buf.flip().get(out);
            return out;
        }
    }
}
