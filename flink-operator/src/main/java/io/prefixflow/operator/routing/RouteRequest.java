package io.prefixflow.operator.routing;

import io.prefixflow.kv.hash.BlockHash;
import java.util.Objects;

/**
 * What a router sees of a request.
 *
 * @param cacheKey     the request's cache_key (a conversation or document id), or null
 * @param promptTokens the rendered prompt's token ids, at least one
 * @param maxTokens    the most tokens it may generate
 * @param namespace    {@link io.prefixflow.kv.hash.BlockHasher#namespace}(model, tenant): the engine's
 *                     prefix-cache namespace, so tenants never share routing entries either
 */
public record RouteRequest(String cacheKey, int[] promptTokens, int maxTokens, BlockHash namespace) {
    public RouteRequest {
        Objects.requireNonNull(promptTokens, "promptTokens");
        if (promptTokens.length == 0) {
            throw new IllegalArgumentException("promptTokens must not be empty");
        }
        Objects.requireNonNull(namespace, "namespace");
    }
}
