package io.prefixflow.operator.engine;

import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.operator.prepare.PreparedRequest;
import io.prefixflow.runtime.engine.EngineRequest;
import io.prefixflow.runtime.engine.Priority;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.structured.ResponseFormat;
import java.nio.charset.StandardCharsets;

/** Maps a {@link PreparedRequest} to the engine's {@link EngineRequest}. */
public final class EngineRequests {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private EngineRequests() {
    }

    /**
     * The engine request: sampling parameters from the request, the tenant as the prefix-cache salt (tenants
     * never share cached blocks), and a seed derived from the request id when it gives none, so that a
     * replay samples the same tokens. The Avro {@code response_format}, when set, becomes the engine's
     * {@link ResponseFormat}.
     *
     * @param engineId the id the request has inside the engine (unique among its live requests)
     * @throws IllegalArgumentException when the response format is malformed (say, JSON_SCHEMA without a
     *                                  schema); the message names what is wrong
     */
    public static EngineRequest toEngineRequest(PreparedRequest prepared, String engineId) {
        InferenceRequest r = prepared.getRequest();
        SamplingParams params = new SamplingParams(r.getTemperature(), r.getTopP(), r.getTopK(), seedOf(r),
                r.getMaxTokens(), r.getStop());
        Priority priority = r.getPriority() == io.prefixflow.connectors.avro.Priority.LATENCY
                ? Priority.LATENCY : Priority.THROUGHPUT;
        return new EngineRequest(engineId, prepared.getPromptTokenIds(), params, priority, r.getTenant(),
                responseFormat(r.getResponseFormat()));
    }

    /** The engine's form of an Avro response format; null for none. */
    public static ResponseFormat responseFormat(io.prefixflow.connectors.avro.ResponseFormat format) {
        if (format == null) {
            return null;
        }
        ResponseFormat.Type type = switch (format.getType()) {
            case JSON_OBJECT -> ResponseFormat.Type.JSON_OBJECT;
            case JSON_SCHEMA -> ResponseFormat.Type.JSON_SCHEMA;
            case CHOICE -> ResponseFormat.Type.CHOICE;
            case REGEX -> ResponseFormat.Type.REGEX;
        };
        return new ResponseFormat(type, format.getJsonSchema(), format.getChoices(), format.getPattern());
    }

    /** The request's seed, or a 64-bit FNV-1a hash of its id's UTF-8 bytes when it has none. */
    public static long seedOf(InferenceRequest request) {
        if (request.getSeed() != null) {
            return request.getSeed();
        }
        long hash = FNV_OFFSET;
        for (byte b : request.getId().getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
