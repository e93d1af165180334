package io.prefixflow.runtime.tokenizer;

import java.util.Arrays;

/** A growable list of ints without boxing, for building token id sequences. */
final class IntList {
    private int[] values;
    private int size;

    IntList(int initialCapacity) {
        values = new int[Math.max(4, initialCapacity)];
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of " + size);
        }
        return values[index];
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
