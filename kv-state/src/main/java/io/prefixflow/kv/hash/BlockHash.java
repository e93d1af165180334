package io.prefixflow.kv.hash;

/**
 * A 128-bit block content hash, as two 64-bit halves.
 *
 * <p>Equal hashes are taken to mean equal content (see {@link BlockHasher} for the collision
 * assumption). Every pair of longs is a valid hash, so there is nothing to validate.
 *
 * @param hi the first 64 bits (MurmurHash3 x64_128 output word h1)
 * @param lo the second 64 bits (output word h2)
 */
public record BlockHash(long hi, long lo) {

    /** 32 lowercase hex digits, {@code hi} first. */
    public String toHex() {
        return String.format("%016x%016x", hi, lo);
    }

    @Override
    public String toString() {
        return "BlockHash[" + toHex() + "]";
    }
}
