package io.prefixflow.runtime.structured;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A regular expression over bytes: what every constraint compiles to before it becomes an automaton.
 * Characters are already spelled as their UTF-8 byte sequences.
 */
sealed interface ByteRegex {
    /** Matches the empty string. */
    ByteRegex EMPTY = new Seq(List.of());
    /** Matches nothing. */
    ByteRegex NOTHING = new Bytes(ByteClass.NONE);

    /** One byte from a set. */
    record Bytes(ByteClass set) implements ByteRegex {
    }

    /** The items one after the other. */
    record Seq(List<ByteRegex> items) implements ByteRegex {
        public Seq {
            items = List.copyOf(items);
        }
    }

    /** Any one of the options. */
    record Alt(List<ByteRegex> options) implements ByteRegex {
        public Alt {
            options = List.copyOf(options);
        }
    }

    /**
     * {@code item} repeated {@code min} to {@code max} times.
     *
     * @param max most repetitions, or {@link #UNBOUNDED}
     */
    record Repeat(ByteRegex item, int min, int max) implements ByteRegex {
        static final int UNBOUNDED = -1;

        public Repeat {
            if (min < 0 || (max != UNBOUNDED && max < min)) {
                throw new IllegalArgumentException("repetition {" + min + "," + max + "} is not valid");
            }
        }
    }

    /** The UTF-8 bytes of {@code text}, literally. */
    static ByteRegex literal(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        List<ByteRegex> items = new ArrayList<>(utf8.length);
        for (byte b : utf8) {
            items.add(new Bytes(ByteClass.of(b & 0xFF)));
        }
        return new Seq(items);
    }

    static ByteRegex seq(ByteRegex... items) {
        return new Seq(List.of(items));
    }

    static ByteRegex alt(List<ByteRegex> options) {
        return options.size() == 1 ? options.get(0) : new Alt(options);
    }

    static ByteRegex optional(ByteRegex item) {
        return new Repeat(item, 0, 1);
    }
}
