package io.prefixflow.runtime.format;

import io.prefixflow.runtime.model.ModelFormatException;
import io.prefixflow.runtime.tensor.GgmlType;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed GGUF file (versions 2 and 3): its metadata and the location of each tensor, with tensor
 * data memory-mapped on demand.
 *
 * <pre>
 *  "GGUF" | version u32 | tensorCount u64 | kvCount u64 | kv* | tensorInfo* | pad to alignment | data
 *  tensorInfo = name str | nDims u32 | dims u64[nDims] (innermost first) | type u32 | offset u64
 * </pre>
 *
 * <p>Metadata values are boxed scalars ({@link Long} for every integer type, {@link Double} for floats,
 * {@link Boolean}, {@link String}) or, for arrays, {@code long[]}, {@code double[]}, {@code boolean[]},
 * {@code String[]} or {@code Object[]} (arrays of arrays).
 */
public final class GgufFile {
    private static final int MAGIC = 0x46554747; // "GGUF" little-endian
    private static final int DEFAULT_ALIGNMENT = 32;
    /** Largest {@code general.alignment} accepted (llama.cpp files use 32). */
    private static final long MAX_ALIGNMENT = 1 << 20;
    /** Deepest nesting of arrays in metadata; real files hold flat arrays. */
    private static final int MAX_ARRAY_DEPTH = 4;
    /** Fewest bytes a tensor info takes (empty name, one dimension), and a metadata entry (empty key, u8 value). */
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;
    private static final int MIN_KV_BYTES = 8 + 4 + 1;

    /** A tensor's name, shape (innermost dimension first, as GGUF stores it), type and absolute file offset. */
    public record TensorInfo(String name, long[] dims, GgmlType type, long fileOffset, long sizeBytes) {
        public long numElements() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }
    }

    private final Path path;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, TensorInfo> tensors;
    private final FileChannel channel;

    private GgufFile(Path path, int version, Map<String, Object> metadata, Map<String, TensorInfo> tensors,
                     FileChannel channel) {
        this.path = path;
        this.version = version;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
        this.channel = channel;
    }

    /** Opens and parses {@code path}; every problem becomes a {@link ModelFormatException} naming the file. */
    public static GgufFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new ModelFormatException(path, "cannot open: " + e.getMessage(), e);
        }
        try {
            long fileSize = channel.size();
            ByteBuffer header = channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(fileSize, Integer.MAX_VALUE))
                    .order(ByteOrder.LITTLE_ENDIAN);
            return parse(path, channel, fileSize, header);
        } catch (BufferUnderflowException e) {
            closeQuietly(channel);
            throw new ModelFormatException(path, "truncated GGUF header", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ModelFormatException(path, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Parses a whole GGUF file held in memory, for tests and fuzzing: the same checks as {@link #open}, but
     * {@link #map} is not available (there is no file). {@code label} only names the source in messages.
     */
    static GgufFile parse(Path label, ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        try {
            return parse(label, null, in.remaining(), in);
        } catch (BufferUnderflowException e) {
            throw new ModelFormatException(label, "truncated GGUF header", e);
        }
    }

    private static GgufFile parse(Path path, FileChannel channel, long fileSize, ByteBuffer in) {
        if (fileSize < 4 || in.getInt() != MAGIC) {
            throw new ModelFormatException(path, "not a GGUF file (wrong magic)");
        }
        int version = in.getInt();
        if (version != 2 && version != 3) {
            throw new ModelFormatException(path, "unsupported GGUF version " + version + " (supported: 2, 3)");
        }
        long tensorCount = in.getLong();
        long kvCount = in.getLong();
        // NOTE: counts the remaining bytes cannot hold are refused before anything is allocated for them.
        if (tensorCount < 0 || tensorCount > 1_000_000 || kvCount < 0 || kvCount > 1_000_000
                || tensorCount * MIN_TENSOR_INFO_BYTES + kvCount * MIN_KV_BYTES > in.remaining()) {
            throw new ModelFormatException(path, "implausible counts: " + tensorCount + " tensors, " + kvCount
                    + " metadata entries");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = readString(path, in);
            int valueType = in.getInt();
            metadata.put(key, readValue(path, in, valueType, key, 0));
        }
        int alignment = DEFAULT_ALIGNMENT;
        Object align = metadata.get("general.alignment");
        if (align instanceof Long a) {
            if (a <= 0 || (a & (a - 1)) != 0 || a > MAX_ALIGNMENT) {
                throw new ModelFormatException(path, "general.alignment " + a + " is not a power of two up to "
                        + MAX_ALIGNMENT);
            }
            alignment = (int) (long) a;
        }
        record RawInfo(String name, long[] dims, int typeId, long offset) {
        }
        RawInfo[] raw = new RawInfo[(int) tensorCount];
        for (int i = 0; i < tensorCount; i++) {
            String name = readString(path, in);
            int nDims = in.getInt();
            if (nDims < 1 || nDims > 4) {
                throw new ModelFormatException(path, "tensor '" + name + "' has " + nDims + " dimensions");
            }
            long[] dims = new long[nDims];
            for (int d = 0; d < nDims; d++) {
                dims[d] = in.getLong();
                if (dims[d] <= 0) {
                    throw new ModelFormatException(path, "tensor '" + name + "' has dimension " + dims[d]);
                }
            }
            raw[i] = new RawInfo(name, dims, in.getInt(), in.getLong());
        }
        long dataStart = alignUp(in.position(), alignment);
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (RawInfo r : raw) {
            GgmlType type = GgmlType.fromGgufId(r.typeId);
            if (type == null) {
                throw new ModelFormatException(path, "tensor '" + r.name + "' has type " + GgmlType.ggufName(r.typeId)
                        + " (id " + r.typeId + "), which PrefixFlow cannot read; supported: "
                        + GgmlType.supportedNames());
            }
            long size;
            try {
                long numElements = 1;
                for (long d : r.dims) {
                    numElements = Math.multiplyExact(numElements, d);
                }
                size = type.bytesFor(numElements);
            } catch (ArithmeticException | IllegalArgumentException e) {
                throw new ModelFormatException(path, "tensor '" + r.name + "' with dims " + Arrays.toString(r.dims)
                        + " is not a valid " + type + " tensor: " + e.getMessage(), e);
            }
            // NOTE: compared by subtraction, so that an offset or size near 2^63 cannot overflow past the check.
            if (r.offset < 0 || r.offset > fileSize - dataStart || size > fileSize - dataStart - r.offset) {
                throw new ModelFormatException(path, "truncated: tensor '" + r.name + "' at data offset " + r.offset
                        + " with " + size + " bytes does not fit the " + fileSize + "-byte file (data starts at "
                        + dataStart + ")");
            }
            long offset = dataStart + r.offset;
            tensors.put(r.name, new TensorInfo(r.name, r.dims, type, offset, size));
        }
        return new GgufFile(path, version, metadata, tensors, channel);
    }

    private static long alignUp(long value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    private static String readString(Path path, ByteBuffer in) {
        long len = in.getLong();
        if (len < 0 || len > in.remaining()) {
            throw new ModelFormatException(path, "truncated or corrupt string of length " + len + " at offset "
                    + (in.position() - 8));
        }
        byte[] bytes = new byte[(int) len];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Object readValue(Path path, ByteBuffer in, int type, String key, int depth) {
        return switch (type) {
            case 0 -> (long) Byte.toUnsignedInt(in.get());
            case 1 -> (long) in.get();
            case 2 -> (long) Short.toUnsignedInt(in.getShort());
            case 3 -> (long) in.getShort();
            case 4 -> Integer.toUnsignedLong(in.getInt());
            case 5 -> (long) in.getInt();
            case 6 -> (double) in.getFloat();
            case 7 -> in.get() != 0;
            case 8 -> readString(path, in);
            case 9 -> readArray(path, in, key, depth + 1);
            case 10, 11 -> in.getLong();
            case 12 -> in.getDouble();
            default -> throw new ModelFormatException(path, "metadata '" + key + "' has unknown value type " + type);
        };
    }

    private static Object readArray(Path path, ByteBuffer in, String key, int depth) {
        if (depth > MAX_ARRAY_DEPTH) {
            throw new ModelFormatException(path, "metadata '" + key + "' nests arrays deeper than "
                    + MAX_ARRAY_DEPTH);
        }
        int elementType = in.getInt();
        long count = in.getLong();
        if (count < 0 || count > in.remaining()) {
            throw new ModelFormatException(path, "metadata array '" + key + "' has implausible length " + count);
        }
        int n = (int) count;
        switch (elementType) {
            case 0, 1, 2, 3, 4, 5, 10, 11 -> {
                long[] values = new long[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (Long) readValue(path, in, elementType, key, depth);
                }
                return values;
            }
            case 6, 12 -> {
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (Double) readValue(path, in, elementType, key, depth);
                }
                return values;
            }
            case 7 -> {
                boolean[] values = new boolean[n];
                for (int i = 0; i < n; i++) {
                    values[i] = in.get() != 0;
                }
                return values;
            }
            case 8 -> {
                String[] values = new String[n];
                for (int i = 0; i < n; i++) {
                    values[i] = readString(path, in);
                }
                return values;
            }
            default -> {
                Object[] values = new Object[n];
                for (int i = 0; i < n; i++) {
                    values[i] = readValue(path, in, elementType, key, depth);
                }
                return values;
            }
        }
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The tensor called {@code name}, or an error naming the file and the missing tensor. */
    public TensorInfo tensor(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new ModelFormatException(path, "missing tensor '" + name + "'");
        }
        return t;
    }

    /** Maps the bytes of a tensor read-only, little-endian. */
    public ByteBuffer map(TensorInfo tensor) {
        if (tensor.sizeBytes() > Integer.MAX_VALUE) {
            throw new ModelFormatException(path, "tensor '" + tensor.name() + "' is larger than 2 GiB");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, tensor.fileOffset(), tensor.sizeBytes())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new ModelFormatException(path, "cannot map tensor '" + tensor.name() + "': " + e.getMessage(), e);
        }
    }

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    public String getString(String key) {
        return get(key, String.class);
    }

    public long getLong(String key) {
        return get(key, Long.class);
    }

    public long getLong(String key, long defaultValue) {
        return has(key) ? getLong(key) : defaultValue;
    }

    public double getDouble(String key, double defaultValue) {
        Object v = metadata.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new ModelFormatException(path, "metadata '" + key + "' is not a number: " + v);
    }

    /** A required metadata value of the given type, or an error naming the key. */
    public <T> T get(String key, Class<T> type) {
        Object v = metadata.get(key);
        if (v == null) {
            throw new ModelFormatException(path, "missing metadata '" + key + "'");
        }
        if (!type.isInstance(v)) {
            throw new ModelFormatException(path, "metadata '" + key + "' is a " + v.getClass().getSimpleName()
                    + ", expected " + type.getSimpleName());
        }
        return type.cast(v);
    }

    /** Releases the file; buffers already mapped stay valid until they are garbage. */
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a read-only channel cannot lose data.
        }
    }

    /** Convenience for tests and tools. */
    public List<String> tensorNames() {
        return List.copyOf(tensors.keySet());
    }
}
