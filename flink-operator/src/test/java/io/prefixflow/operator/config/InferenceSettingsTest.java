package io.prefixflow.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.runner.Backend;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class InferenceSettingsTest {
    @Test
    void defaultsServeTheBuiltInModel() {
        InferenceSettings s = InferenceSettings.from(new Configuration());
        assertEquals(ModelSpecs.BUILTIN_STORIES, s.model());
        assertEquals(16, s.blockSize());
        assertEquals(4, s.routing().prefixBlocks());
        assertEquals(RoutingMode.CACHE_AWARE, s.routing().mode());
        assertEquals(100_000, s.routing().indexCapacity());
        assertEquals(256L << 20, s.kvCacheBytes());
        assertEquals(io.prefixflow.runtime.runner.KvDtype.F32, s.kvDtype());
        assertEquals(512, ModelSpecs.load(s).config().contextLength());
    }

    @Test
    void theKvCacheTypeIsReadAsWrittenInAConfigurationFile() {
        Configuration conf = Configuration.fromMap(java.util.Map.of("prefixflow.engine.kv-dtype", "q8_0"));
        assertEquals(io.prefixflow.runtime.runner.KvDtype.Q8_0, InferenceSettings.from(conf).kvDtype());
        Configuration bad = Configuration.fromMap(java.util.Map.of("prefixflow.engine.kv-dtype", "q4"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InferenceSettings.from(bad)).getMessage()
                .contains("kv-dtype"));
    }

    @Test
    void badValuesNameTheirKey() {
        Configuration conf = new Configuration();
        conf.set(InferenceOptions.MAX_IN_FLIGHT, 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InferenceSettings.from(conf))
                .getMessage().startsWith("prefixflow.operator.max-in-flight must be >= 1"));
        Configuration cuda = new Configuration();
        cuda.set(InferenceOptions.BACKEND, Backend.CUDA);
        assertEquals(Backend.CUDA, InferenceSettings.from(cuda).backend());
        Configuration rel = new Configuration();
        rel.set(InferenceOptions.ROUTING_BALANCE_REL, 0.5);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InferenceSettings.from(rel))
                .getMessage().startsWith("prefixflow.routing.balance-rel-threshold must be a finite factor >= 1"));
        Configuration builtin = new Configuration();
        builtin.set(InferenceOptions.MODEL, "builtin:nope");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSpecs.load(InferenceSettings.from(builtin)))
                .getMessage().contains("the only built-in model is builtin:stories260K"));
    }
}
