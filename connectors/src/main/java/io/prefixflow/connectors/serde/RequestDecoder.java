package io.prefixflow.connectors.serde;

import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.validation.RequestLimits;
import io.prefixflow.connectors.validation.RequestValidator;
import io.prefixflow.connectors.validation.ValidationResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * Turns one Kafka record into a valid {@link InferenceRequest} or a {@link DeadLetter}; it
 * never throws. The outcome depends only on the record, so a replay after a failure gives
 * the same output.
 *
 * <p>Requests over a {@link RequestLimits limit} are dead letters too. A dead letter keeps at most
 * {@link RequestLimits#deadLetterPayloadBytes()} of the record (its reason says when it was cut), so that a
 * record near the input topic's size limit cannot make the dead-letter write fail.
 *
 * <p>NOTE: not thread-safe (it reuses Avro's decoder); one per source reader.
 */
public final class RequestDecoder {
    private final AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class,
            SchemaHistory.inferenceRequestWriters());
    private final RequestLimits limits;

    /** A decoder with {@link RequestLimits#DEFAULT}. */
    public RequestDecoder() {
        this(RequestLimits.DEFAULT);
    }

    /** A decoder that refuses requests over {@code limits}. */
    public RequestDecoder(RequestLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Decodes and validates one record.
     *
     * @param topic       the source topic
     * @param partition   the source partition
     * @param offset      the record's offset
     * @param timestampMs the record's timestamp, milliseconds since the epoch
     * @param key         the record's key, may be null
     * @param value       the record's value, may be null (a tombstone)
     */
    public RequestOrDeadLetter decode(String topic, int partition, long offset, long timestampMs,
                                      byte[] key, byte[] value) {
        try {
            if (value == null) {
                return dead(topic, partition, offset, timestampMs, key, null, null,
                        "record value is null (a tombstone), not an InferenceRequest");
            }
            if (value.length == 0) {
                return dead(topic, partition, offset, timestampMs, key, value, null, "record value is empty");
            }
            InferenceRequest request;
            try {
                request = codec.decode(value);
            } catch (MalformedRecordException e) {
                return dead(topic, partition, offset, timestampMs, key, value, null,
                        "not an InferenceRequest in Avro binary: " + e.getMessage());
            }
            ValidationResult result = RequestValidator.validate(request, limits);
            if (!result.isValid()) {
                return dead(topic, partition, offset, timestampMs, key, value, request.getId(),
                        "invalid request: " + result.reason());
            }
            return RequestOrDeadLetter.request(request);
        } catch (RuntimeException e) {
            return dead(topic, partition, offset, timestampMs, key, value, null,
                    "unexpected error while decoding: " + e);
        }
    }

    private RequestOrDeadLetter dead(String topic, int partition, long offset, long timestampMs,
                                     byte[] key, byte[] value, String requestId, String reason) {
        int keep = limits.deadLetterPayloadBytes();
        if (value != null && value.length > keep) {
            reason += " (payload cut to its first " + keep + " of " + value.length + " bytes)";
        }
        return RequestOrDeadLetter.deadLetter(DeadLetter.newBuilder()
                .setPayload(value == null ? null : ByteBuffer.wrap(value, 0, Math.min(value.length, keep)).slice())
                .setKey(key == null ? null : ByteBuffer.wrap(key, 0, Math.min(key.length, keep)).slice())
                .setTopic(topic == null ? "" : topic)
                .setPartition(partition)
                .setOffset(offset)
                .setTimestamp(Instant.ofEpochMilli(Math.max(0, timestampMs)))
                .setReason(reason)
                .setRequestId(requestId)
                .build());
    }
}
