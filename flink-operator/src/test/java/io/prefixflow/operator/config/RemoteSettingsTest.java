package io.prefixflow.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class RemoteSettingsTest {
    @Test
    void theEngineServesByDefault() {
        InferenceSettings s = InferenceSettings.from(new Configuration());
        assertThat(s.isRemote()).isFalse();
        assertThat(s.remote()).isNull();
    }

    @Test
    void openAiReadsItsOptions() {
        Configuration conf = new Configuration();
        conf.set(RemoteOptions.SERVING_BACKEND, ServingBackend.OPENAI);
        conf.set(RemoteOptions.ENDPOINT, "http://127.0.0.1:8000/");
        conf.set(RemoteOptions.TIMEOUT, Duration.ofSeconds(5));
        RemoteSettings r = InferenceSettings.from(conf).remote();
        assertThat(r.endpoint()).isEqualTo("http://127.0.0.1:8000");
        assertThat(r.completionsUri().toString()).isEqualTo("http://127.0.0.1:8000/v1/completions");
        assertThat(r.timeoutMs()).isEqualTo(5000);
        assertThat(r.maxInFlight()).isEqualTo(64);
        assertThat(r.maxRetries()).isEqualTo(3);
        assertThat(r.model()).isNull();
    }

    @Test
    void badValuesNameTheirKey() {
        Configuration noEndpoint = new Configuration();
        noEndpoint.set(RemoteOptions.SERVING_BACKEND, ServingBackend.OPENAI);
        assertThatThrownBy(() -> InferenceSettings.from(noEndpoint))
                .hasMessageContaining("prefixflow.openai.endpoint must be set");
        Configuration ftp = noEndpoint.clone();
        ftp.set(RemoteOptions.ENDPOINT, "ftp://example");
        assertThatThrownBy(() -> InferenceSettings.from(ftp))
                .hasMessageContaining("prefixflow.openai.endpoint must be an http:// or https:// URL");
        Configuration zero = noEndpoint.clone();
        zero.set(RemoteOptions.ENDPOINT, "http://127.0.0.1:1");
        zero.set(RemoteOptions.MAX_IN_FLIGHT, 0);
        assertThatThrownBy(() -> InferenceSettings.from(zero))
                .hasMessageContaining("prefixflow.openai.max-in-flight must be >= 1");
    }
}
