package io.prefixflow.operator.config;

/** How the prepare stage picks the inference subtask of a request ({@link InferenceOptions#ROUTING_MODE}). */
public enum RoutingMode {
    /** By the prompt's prefix fingerprint or {@code cache_key}: shared prefixes meet on one subtask. */
    PREFIX,
    /** In turn over the subtasks, regardless of the prompt: the baseline that prefix routing is compared to. */
    ROUND_ROBIN
}
