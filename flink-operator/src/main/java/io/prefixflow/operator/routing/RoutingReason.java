package io.prefixflow.operator.routing;

/** Why a router chose a subtask; each is counted in the prepare stage's metrics. */
public enum RoutingReason {
    /** Cache-aware: to a subtask that holds a prefix of the prompt (the least loaded of its replica set). */
    PREFIX_HIT,
    /**
     * Cache-aware: the prompt's prefix is known, but it went to a member of the prefix's replica set that does not
     * hold it yet (the set grew because the prefix got hotter), which from then on holds it too.
     */
    OVERLOAD,
    /** Cache-aware: this router knows no prefix of the prompt; placed by rendezvous hashing of its content. */
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
