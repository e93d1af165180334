package io.prefixflow.operator.engine;

import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.operator.prepare.PreparedRequest;
import io.prefixflow.runtime.engine.EngineRequest;
import io.prefixflow.runtime.engine.Priority;
import io.prefixflow.runtime.sampling.SamplingParams;
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
     * replay samples the same tokens.
     *
     * @param engineId the id the request has inside the engine (unique among its live requests)
     */
    public static EngineRequest toEngineRequest(PreparedRequest prepared, String engineId) {
        InferenceRequest r = prepared.getRequest();
        SamplingParams params = new SamplingParams(r.getTemperature(), r.getTopP(), r.getTopK(), seedOf(r),
                r.getMaxTokens(), r.getStop());
        Priority priority = r.getPriority() == io.prefixflow.connectors.avro.Priority.LATENCY
                ? Priority.LATENCY : Priority.THROUGHPUT;
        return new EngineRequest(engineId, prepared.getPromptTokenIds(), params, priority, r.getTenant());
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
