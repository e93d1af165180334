package io.prefixflow.operator.config;

/** How the prepare stage picks the inference subtask of a request ({@link InferenceOptions#ROUTING_MODE}). */
public enum RoutingMode {
    /**
     * To the subtask holding the longest prefix of the prompt (or of its cache_key's chain), unless it is past
     * the balance bound; a hot prefix is replicated on as many subtasks as its load needs
     * ({@link io.prefixflow.operator.routing.CacheAwareRouter}).
     */
    CACHE_AWARE,
    /** By the fixed fingerprint of the first k blocks (or cache_key): shared prefixes meet on one subtask. */
    PREFIX,
    /** In turn over the subtasks, regardless of the prompt: the baseline that routing is compared to. */
    ROUND_ROBIN;

    /** The name used on command lines and in reports, e.g. {@code cache-aware}. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
