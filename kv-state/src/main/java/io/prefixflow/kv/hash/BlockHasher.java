package io.prefixflow.kv.hash;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Chained 128-bit hashes of full KV blocks, bound to a namespace.
 *
 * <pre>
 *   namespace = H(NAMESPACE_TAG, modelId, cacheSalt)
 *   h[0]      = H(ROOT_PARENT, namespace, tokens[0 .. B))
 *   h[i]      = H(h[i-1],      namespace, tokens[i*B .. (i+1)*B))        B = block size in tokens
 * </pre>
 *
 * <p>{@code H} is MurmurHash3 x64_128 (seed 0) over the 32-bit words of its inputs in the order shown
 * (a hash contributes {@code hi} then {@code lo}, each as two words, low word first). Because each hash
 * covers its parent, equal {@code h[i]} means equal tokens in blocks {@code 0..i}, which is what makes
 * the KV of block {@code i} reusable: its attention depends on every earlier token. Only full blocks are
 * hashed; a partial last block is private to its request.
 *
 * <p>{@link #ROOT_PARENT} is the fixed parent of every first block: the ASCII bytes of
 * {@code "PrefixFlow/kv/v1"}. NOTE: bump its version suffix whenever the hash input layout changes, so
 * that fingerprints from old and new code (routing keys are made of these hashes) never agree by
 * accident.
 *
 * <p><b>Namespaces.</b> The namespace binds the model and the tenant's cache salt into every block hash,
 * so two tenants with different salts share no block even for identical prompts, and one tenant cannot
 * probe for another's prompts through cache timing. Use the empty salt for "shared by everyone".
 *
 * <p><b>Collision assumption.</b> The prefix cache treats equal hashes as equal content and never
 * compares tokens, so a collision would hand a request another prompt's KV. For non-adversarial input
 * the chance that any two of {@code n} distinct blocks collide is about {@code n^2 / 2^129}: below
 * {@code 10^-14} even for {@code 10^12} blocks, far under the hardware error rate. MurmurHash3 is
 * <em>not</em> collision-resistant against an adversary who chooses tokens: within one namespace a
 * tenant able to craft colliding prompts could poison its own namespace's cache. Tenants that do not
 * trust each other must therefore use different cache salts (their namespaces then never meet); a
 * shared namespace with untrusted writers would need a cryptographic {@code H} (e.g. SHA-256) instead.
 *
 * <p>Stateless and thread-safe.
 */
public final class BlockHasher {

    /** Parent hash of every sequence's first block: ASCII {@code "PrefixFl"}, {@code "ow/kv/v1"}. */
    public static final BlockHash ROOT_PARENT = new BlockHash(0x507265666978466cL, 0x6f772f6b762f7631L);

    /** First word of a namespace hash's input (ASCII {@code "NSPC"}), so it is never a block's input. */
    private static final int NAMESPACE_TAG = 0x4e535043;
    /** First word of a key hash's input (ASCII {@code "KEYS"}). */
    private static final int KEY_TAG = 0x4b455953;
    private static final long MURMUR_SEED = 0;

    private BlockHasher() {
    }

    /**
     * The namespace of a model and a tenant's cache salt.
     *
     * @param modelId   identifies the model weights (and anything else that changes the KV)
     * @param cacheSalt the tenant's cache salt; empty for a namespace shared by all tenants
     */
    public static BlockHash namespace(String modelId, String cacheSalt) {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(cacheSalt, "cacheSalt (use \"\" for no salt)");
        Murmur3x64x128 murmur = new Murmur3x64x128(MURMUR_SEED);
        murmur.putInt(NAMESPACE_TAG);
        putString(murmur, modelId);
        putString(murmur, cacheSalt);
        return murmur.finish();
    }

    /**
     * The hash of one full block.
     *
     * @param parent    the previous block's hash, or {@link #ROOT_PARENT} for the first block
     * @param tokenIds  token ids containing the block
     * @param fromIndex index of the block's first token in {@code tokenIds}
     * @param blockSize tokens per block; all of them are hashed
     * @param namespace from {@link #namespace}
     */
    public static BlockHash hashBlock(
            BlockHash parent, int[] tokenIds, int fromIndex, int blockSize, BlockHash namespace) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(namespace, "namespace");
        requirePositiveBlockSize(blockSize);
        Objects.checkFromIndexSize(fromIndex, blockSize, tokenIds.length);
        Murmur3x64x128 murmur = new Murmur3x64x128(MURMUR_SEED);
        return hashBlock(murmur, parent, tokenIds, fromIndex, blockSize, namespace);
    }

    /**
     * Hashes of all full blocks of {@code tokenIds}, in order; a trailing partial block is not hashed.
     * With block size 16, 200 tokens give 12 hashes.
     */
    public static List<BlockHash> hashFullBlocks(int[] tokenIds, int blockSize, BlockHash namespace) {
        return hashFullBlocks(tokenIds, blockSize, namespace, ROOT_PARENT);
    }

    /**
     * Hashes of all full blocks of {@code tokenIds}, chained from {@code root} instead of
     * {@link #ROOT_PARENT}: with the root from {@link #hashKey} they form a chain that belongs to one
     * conversation or document. NOTE: such hashes are for routing only; the prefix cache always chains from
     * {@link #ROOT_PARENT}.
     */
    public static List<BlockHash> hashFullBlocks(int[] tokenIds, int blockSize, BlockHash namespace,
                                                 BlockHash root) {
        Objects.requireNonNull(tokenIds, "tokenIds");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(root, "root");
        requirePositiveBlockSize(blockSize);
        int numFullBlocks = tokenIds.length / blockSize;
        List<BlockHash> hashes = new ArrayList<>(numFullBlocks);
        Murmur3x64x128 murmur = new Murmur3x64x128(MURMUR_SEED);
        BlockHash parent = root;
        for (int block = 0; block < numFullBlocks; block++) {
            parent = hashBlock(murmur, parent, tokenIds, block * blockSize, blockSize, namespace);
            hashes.add(parent);
        }
        return hashes;
    }

    /**
     * The hash of a key such as a request's {@code cache_key}, in a namespace: input {@link #KEY_TAG}, the
     * namespace, then the key's UTF-16 code units as {@link #namespace} puts strings. It never equals a
     * block's hash input, since the tag word comes where a block's parent would.
     */
    public static BlockHash hashKey(String key, BlockHash namespace) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(namespace, "namespace");
        Murmur3x64x128 murmur = new Murmur3x64x128(MURMUR_SEED);
        murmur.putInt(KEY_TAG);
        murmur.putLong(namespace.hi());
        murmur.putLong(namespace.lo());
        putString(murmur, key);
        return murmur.finish();
    }

    private static BlockHash hashBlock(
            Murmur3x64x128 murmur,
            BlockHash parent,
            int[] tokenIds,
            int fromIndex,
            int blockSize,
            BlockHash namespace) {
        murmur.reset(MURMUR_SEED);
        murmur.putLong(parent.hi());
        murmur.putLong(parent.lo());
        murmur.putLong(namespace.hi());
        murmur.putLong(namespace.lo());
        murmur.putInts(tokenIds, fromIndex, blockSize);
        return murmur.finish();
    }

    /** Length first, then UTF-16 code units two per word, so no two strings give the same words. */
    private static void putString(Murmur3x64x128 murmur, String s) {
        int length = s.length();
        murmur.putInt(length);
        for (int i = 0; i < length; i += 2) {
            int low = s.charAt(i);
            int high = i + 1 < length ? s.charAt(i + 1) : 0;
            murmur.putInt(low | (high << 16));
        }
    }

    private static void requirePositiveBlockSize(int blockSize) {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("blockSize must be > 0 tokens, got " + blockSize);
        }
    }
}
