package io.prefixflow.connectors.serde;

import org.apache.avro.Schema;

/**
 * Walks Avro binary against a schema without building objects and reports the first thing
 * that cannot be a valid encoding: a length or item count larger than the bytes left, a
 * union or enum index out of range, a varint too long, missing or trailing bytes.
 *
 * <p>NOTE: Avro's own reader allocates a buffer of whatever length or item count the input
 * declares before it finds out the bytes are not there; on garbage input that is an
 * allocation of up to gigabytes. Checking the shape first keeps a malformed record a cheap
 * dead letter instead of a memory spike in the task manager.
 */
final class BinaryShapeCheck {
    /** Most items of a zero-byte type (null) one array or map may declare. */
    static final int MAX_ZERO_SIZE_ITEMS = 1 << 16;

    private static final Schema MAP_KEY = Schema.create(Schema.Type.STRING);

    private final byte[] bytes;
    private int pos;

    private BinaryShapeCheck(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Why {@code bytes} are not exactly one datum of {@code schema}, or null when they are. */
    static String problem(Schema schema, byte[] bytes) {
        BinaryShapeCheck check = new BinaryShapeCheck(bytes);
        try {
            check.walk(schema);
        } catch (Malformed e) {
            return e.getMessage() + " at byte " + check.pos + " of " + bytes.length;
        }
        if (check.pos != bytes.length) {
            return (bytes.length - check.pos) + " trailing bytes after the record (it ends at byte "
                    + check.pos + " of " + bytes.length + ")";
        }
        return null;
    }

    private void walk(Schema schema) throws Malformed {
        switch (schema.getType()) {
            case NULL -> { }
            case BOOLEAN -> {
                int b = readByte("boolean");
                if (b > 1) {
                    throw new Malformed("boolean byte " + b + " is neither 0 nor 1");
                }
            }
            case INT -> readInt("int");
            case LONG -> readLong("long");
            case FLOAT -> skip(4, "float");
            case DOUBLE -> skip(8, "double");
            case STRING, BYTES -> {
                String what = schema.getType().getName();
                long length = readLong(what + " length");
                if (length < 0) {
                    throw new Malformed("negative " + what + " length " + length);
                }
                skip(length, what);
            }
            case FIXED -> skip(schema.getFixedSize(), "fixed");
            case ENUM -> index(readInt("enum index"), schema.getEnumSymbols().size(), "enum " + schema.getName());
            case UNION -> {
                int branch = index(readInt("union index"), schema.getTypes().size(), "union");
                walk(schema.getTypes().get(branch));
            }
            case ARRAY -> blocks(schema.getElementType(), false);
            case MAP -> blocks(schema.getValueType(), true);
            case RECORD -> {
                for (Schema.Field field : schema.getFields()) {
                    walk(field.schema());
                }
            }
            default -> throw new Malformed("unsupported schema type " + schema.getType());
        }
    }

    private void blocks(Schema item, boolean mapEntries) throws Malformed {
        boolean zeroSize = !mapEntries && item.getType() == Schema.Type.NULL;
        while (true) {
            long count = readLong("block count");
            if (count == 0) {
                return;
            }
            if (count < 0) {
                count = -count;
                long sizeBytes = readLong("block size");
                if (sizeBytes < 0 || sizeBytes > remaining()) {
                    throw new Malformed("block size " + sizeBytes + " exceeds the " + remaining() + " bytes left");
                }
            }
            long limit = zeroSize ? MAX_ZERO_SIZE_ITEMS : remaining();
            if (count > limit) {
                throw new Malformed("block of " + count + " items exceeds the " + remaining() + " bytes left");
            }
            for (long i = 0; i < count; i++) {
                if (mapEntries) {
                    walk(MAP_KEY);
                }
                walk(item);
            }
        }
    }

    private static int index(int value, int size, String what) throws Malformed {
        if (value < 0 || value >= size) {
            throw new Malformed(what + " index " + value + " is outside [0, " + size + ")");
        }
        return value;
    }

    private int readInt(String what) throws Malformed {
        long v = readVarint(what, 5);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new Malformed(what + " " + v + " does not fit an int");
        }
        return (int) v;
    }

    private long readLong(String what) throws Malformed {
        return readVarint(what, 10);
    }

    /** A zig-zag varint of at most {@code maxBytes} bytes. */
    private long readVarint(String what, int maxBytes) throws Malformed {
        long raw = 0;
        for (int i = 0; i < maxBytes; i++) {
            int b = readByte(what);
            raw |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new Malformed(what + " varint is longer than " + maxBytes + " bytes");
    }

    private int readByte(String what) throws Malformed {
        if (pos >= bytes.length) {
            throw new Malformed("input ends inside a " + what);
        }
        return bytes[pos++] & 0xff;
    }

    private void skip(long length, String what) throws Malformed {
        if (length > remaining()) {
            throw new Malformed(what + " of " + length + " bytes exceeds the " + remaining() + " bytes left");
        }
        pos += (int) length;
    }

    private int remaining() {
        return bytes.length - pos;
    }

    /** A shape violation; the walk stops at the first one. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
