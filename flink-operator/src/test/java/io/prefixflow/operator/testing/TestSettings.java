package io.prefixflow.operator.testing;

import io.prefixflow.operator.config.InferenceOptions;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.runtime.runner.Backend;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;

/** Settings that serve the shared stories260K model (context 512, 16-token blocks, 2 prefix blocks). */
public final class TestSettings {
    private TestSettings() {
    }

    public static Configuration storiesConfig() {
        Configuration conf = new Configuration();
        conf.set(InferenceOptions.MODEL, SharedData.model("stories260K.bin").toString());
        conf.set(InferenceOptions.TOKENIZER, SharedData.model("tok512.bin").toString());
        conf.set(InferenceOptions.BACKEND, Backend.CPU);
        conf.set(InferenceOptions.THREADS, 1);
        conf.set(InferenceOptions.KV_CACHE_SIZE, MemorySize.ofMebiBytes(16));
        conf.set(InferenceOptions.ROUTING_PREFIX_BLOCKS, 2);
        conf.set(InferenceOptions.MAX_IN_FLIGHT, 32);
        return conf;
    }

    public static InferenceSettings stories() {
        return InferenceSettings.from(storiesConfig());
    }
}
