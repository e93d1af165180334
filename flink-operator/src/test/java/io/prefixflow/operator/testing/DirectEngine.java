package io.prefixflow.operator.testing;

import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.config.ModelSpecs;
import io.prefixflow.operator.engine.EngineRequests;
import io.prefixflow.operator.prepare.ControlTokens;
import io.prefixflow.operator.prepare.PreparedRequest;
import io.prefixflow.operator.prepare.PromptEncoder;
import io.prefixflow.runtime.cpu.CpuModelRunner;
import io.prefixflow.runtime.engine.Engine;
import io.prefixflow.runtime.engine.EngineResult;
import io.prefixflow.runtime.engine.RequestHandle;
import io.prefixflow.runtime.model.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The oracle: the same requests served by one engine directly, without Flink. */
public final class DirectEngine {
    private DirectEngine() {
    }

    /** Each request's result, by request id. */
    public static Map<String, EngineResult> complete(InferenceSettings settings, List<InferenceRequest> requests)
            throws Exception {
        Model model = ModelSpecs.load(settings);
        PromptEncoder encoder = new PromptEncoder(model, ControlTokens.none());
        int numBlocks = CpuModelRunner.blocksForBudget(model.config(), settings.blockSize(), settings.kvCacheBytes());
        Map<String, RequestHandle> handles = new LinkedHashMap<>();
        Map<String, EngineResult> results = new LinkedHashMap<>();
        try (CpuModelRunner runner = new CpuModelRunner(model.config(), model.weights(), settings.blockSize(),
                numBlocks, 2);
             Engine engine = Engine.start(model, runner, settings.schedulerConfig())) {
            for (InferenceRequest request : requests) {
                PreparedRequest prepared = new PreparedRequest(request, encoder.encodePrompt(request.getPrompt()), "", 0);
                handles.put(request.getId(), engine.submit(EngineRequests.toEngineRequest(prepared, request.getId())));
            }
            for (Map.Entry<String, RequestHandle> e : handles.entrySet()) {
                results.put(e.getKey(), e.getValue().result().get(120, TimeUnit.SECONDS));
            }
        }
        return results;
    }
}
