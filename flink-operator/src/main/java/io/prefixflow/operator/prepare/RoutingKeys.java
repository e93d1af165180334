package io.prefixflow.operator.prepare;

import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import java.util.Arrays;

/**
 * The fingerprint {@code PREFIX} routing places a request by
 * ({@link io.prefixflow.operator.routing.FingerprintRouter}): its {@code cache_key} when it gives one, otherwise the prefix
 * fingerprint, 32 hex digits of the chained block hash ({@link BlockHasher}) of its first {@code k} full
 * KV blocks, in the namespace of the model and the tenant, so that the fingerprint is exactly the engine's
 * prefix-cache hash of block {@code k - 1}. A prompt with fewer full blocks uses those it has; one with
 * none is hashed whole, as one short block.
 *
 * <p>Requests whose first {@code k * blockSize} tokens agree get the same key, so they meet on one
 * subtask, whose prefix cache then holds their shared blocks.
 */
public final class RoutingKeys {
    private RoutingKeys() {
    }

    /**
     * @param cacheKey      the request's cache_key, or null
     * @param promptTokens  the prompt's ids
     * @param blockSize     tokens per KV block
     * @param prefixBlocks  k
     * @param namespace     {@link BlockHasher#namespace}(model name, tenant)
     */
    public static String routingKey(String cacheKey, int[] promptTokens, int blockSize, int prefixBlocks,
                                    BlockHash namespace) {
        if (cacheKey != null) {
            return cacheKey;
        }
        int numFull = Math.min(prefixBlocks, promptTokens.length / blockSize);
        if (numFull == 0) {
            return BlockHasher.hashBlock(BlockHasher.ROOT_PARENT, promptTokens, 0, promptTokens.length, namespace)
                    .toHex();
        }
        int[] prefix = Arrays.copyOf(promptTokens, numFull * blockSize);
        return BlockHasher.hashFullBlocks(prefix, blockSize, namespace).get(numFull - 1).toHex();
    }
}
