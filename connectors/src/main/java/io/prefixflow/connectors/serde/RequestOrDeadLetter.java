package io.prefixflow.connectors.serde;

import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.InferenceRequest;
import java.util.Objects;

/**
 * What the prompt source emits for each Kafka record: a decoded, valid request, or the dead
 * letter that says why the record cannot be served. Exactly one of the two is set.
 *
 * <p>NOTE: a Flink POJO (public no-argument constructor, getters and setters) whose fields
 * are Avro records, so Flink serializes it with its POJO and Avro serializers, never Kryo.
 * Build instances with {@link #request(InferenceRequest)} and {@link #deadLetter(DeadLetter)};
 * the setters exist for Flink's serializer.
 */
public final class RequestOrDeadLetter {
    private InferenceRequest request;
    private DeadLetter deadLetter;

    /** For Flink's POJO serializer; use the factories. */
    public RequestOrDeadLetter() {
    }

    /** A decoded, valid request. */
    public static RequestOrDeadLetter request(InferenceRequest request) {
        RequestOrDeadLetter r = new RequestOrDeadLetter();
        r.request = Objects.requireNonNull(request, "request");
        return r;
    }

    /** A record that cannot be served. */
    public static RequestOrDeadLetter deadLetter(DeadLetter deadLetter) {
        RequestOrDeadLetter r = new RequestOrDeadLetter();
        r.deadLetter = Objects.requireNonNull(deadLetter, "deadLetter");
        return r;
    }

    /** True when this holds a request, false when it holds a dead letter. */
    public boolean isRequest() {
        return request != null;
    }

    /** The request, or null for a dead letter. */
    public InferenceRequest getRequest() {
        return request;
    }

    /** For Flink's POJO serializer. */
    public void setRequest(InferenceRequest request) {
        this.request = request;
    }

    /** The dead letter, or null for a request. */
    public DeadLetter getDeadLetter() {
        return deadLetter;
    }

    /** For Flink's POJO serializer. */
    public void setDeadLetter(DeadLetter deadLetter) {
        this.deadLetter = deadLetter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestOrDeadLetter other
                && Objects.equals(request, other.request)
                && Objects.equals(deadLetter, other.deadLetter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(request, deadLetter);
    }

    @Override
    public String toString() {
        return isRequest() ? "Request[" + request.getId() + "]" : "DeadLetter[" + deadLetter + "]";
    }
}
