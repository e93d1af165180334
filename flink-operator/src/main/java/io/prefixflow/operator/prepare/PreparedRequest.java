package io.prefixflow.operator.prepare;

import io.prefixflow.connectors.avro.InferenceRequest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A valid request with its prompt tokenized and its routing key: what the prepare stage sends, keyed by
 * {@link #getRoutingKey()}, to the {@code InferenceOperator}.
 *
 * <p>NOTE: a Flink POJO (public no-argument constructor, getters and setters; an Avro record and an
 * {@code int[]} inside), so Flink serializes it with its POJO, Avro and primitive-array serializers, never
 * Kryo. It is also part of the operator's checkpointed state.
 */
public final class PreparedRequest {
    private InferenceRequest request;
    private int[] promptTokenIds;
    private String routingKey;
    private long receivedAtMs;
    private int routerIndex;
    private long routeSeq;

    /** For Flink's POJO serializer. */
    public PreparedRequest() {
    }

    /**
     * @param request        the decoded request
     * @param promptTokenIds its prompt's ids
     * @param routingKey     the key it is routed by
     * @param receivedAtMs   wall-clock time the prepare stage took it, ms since the epoch
     */
    public PreparedRequest(InferenceRequest request, int[] promptTokenIds, String routingKey, long receivedAtMs) {
        this(request, promptTokenIds, routingKey, receivedAtMs, 0, 0);
    }

    /**
     * @param request        the decoded request
     * @param promptTokenIds its prompt's ids
     * @param routingKey     the key it is routed by
     * @param receivedAtMs   wall-clock time the prepare stage took it, ms since the epoch
     * @param routerIndex    the prepare subtask that routed it
     * @param routeSeq       that router's sequence number of the decision, 0 for none (acknowledged in the
     *                       inference subtask's load reports)
     */
    public PreparedRequest(InferenceRequest request, int[] promptTokenIds, String routingKey, long receivedAtMs,
                           int routerIndex, long routeSeq) {
        this.request = Objects.requireNonNull(request, "request");
        this.promptTokenIds = Objects.requireNonNull(promptTokenIds, "promptTokenIds");
        this.routingKey = Objects.requireNonNull(routingKey, "routingKey");
        this.receivedAtMs = receivedAtMs;
        this.routerIndex = routerIndex;
        this.routeSeq = routeSeq;
    }

    public InferenceRequest getRequest() {
        return request;
    }

    public void setRequest(InferenceRequest request) {
        this.request = request;
    }

    public int[] getPromptTokenIds() {
        return promptTokenIds;
    }

    public void setPromptTokenIds(int[] promptTokenIds) {
        this.promptTokenIds = promptTokenIds;
    }

    public String getRoutingKey() {
        return routingKey;
    }

    public void setRoutingKey(String routingKey) {
        this.routingKey = routingKey;
    }

    public long getReceivedAtMs() {
        return receivedAtMs;
    }

    public void setReceivedAtMs(long receivedAtMs) {
        this.receivedAtMs = receivedAtMs;
    }

    public int getRouterIndex() {
        return routerIndex;
    }

    public void setRouterIndex(int routerIndex) {
        this.routerIndex = routerIndex;
    }

    public long getRouteSeq() {
        return routeSeq;
    }

    public void setRouteSeq(long routeSeq) {
        this.routeSeq = routeSeq;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreparedRequest other
                && Objects.equals(request, other.request)
                && Arrays.equals(promptTokenIds, other.promptTokenIds)
                && Objects.equals(routingKey, other.routingKey)
                && receivedAtMs == other.receivedAtMs
                && routerIndex == other.routerIndex
                && routeSeq == other.routeSeq;
    }

    @Override
    public int hashCode() {
        return Objects.hash(request, Arrays.hashCode(promptTokenIds), routingKey, receivedAtMs, routerIndex, routeSeq);
    }

    @Override
    public String toString() {
        return "PreparedRequest[" + (request == null ? null : request.getId()) + ", " + (promptTokenIds == null ? 0 : promptTokenIds.length)
                + " tokens, key " + routingKey + "]";
    }
}
