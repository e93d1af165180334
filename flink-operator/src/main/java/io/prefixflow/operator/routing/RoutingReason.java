package io.prefixflow.operator.routing;

/** Why a router chose a subtask; each is counted in the prepare stage's metrics. */
public enum RoutingReason {
    /** Cache-aware: to a subtask that holds a prefix of the prompt and is within the balance bound. */
    PREFIX_HIT,
    /** Cache-aware: every subtask holding a prefix was past the bound, so another one takes it (and the prefix). */
    OVERLOAD,
    /** Cache-aware: no subtask holds any prefix; a bounded-load consistent-hash choice of the first block. */
    COLD,
    /** Fixed fingerprint of the first k blocks (or the cache_key): {@code PREFIX} mode. */
    FINGERPRINT,
    /** In turn: {@code ROUND_ROBIN} mode. */
    ROUND_ROBIN;

    /** The metric name of this reason, e.g. {@code prefixHit}. */
    public String metricName() {
        String[] words = name().toLowerCase(java.util.Locale.ROOT).split("_");
        StringBuilder out = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            out.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return out.toString();
    }
}
