package io.prefixflow.operator.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;

/** The options of a prefixflow model: defaults, and every bad value named by its option. */
class PredictSettingsTest {
    private static final List<OutputColumn> COMPLETION = List.of(OutputColumn.COMPLETION);

    @Test
    void defaultsAreGreedyWithTheJobsEngineSettings() {
        PredictSettings settings = PredictSettings.from(options(Map.of()), COMPLETION);
        assertThat(settings.engine().model()).isEqualTo("builtin:stories260K");
        assertThat(settings.engine().threads()).isEqualTo(1);
        assertThat(settings.engine().kvCacheBytes()).isEqualTo(256L << 20);
        assertThat(settings.samplingParams().isGreedy()).isTrue();
        assertThat(settings.maxTokens()).isEqualTo(256);
        assertThat(settings.stop()).isEmpty();
    }

    @Test
    void stopStringsAreSemicolonSeparated() {
        PredictSettings settings = PredictSettings.from(options(Map.of("stop", "The end;!")), COMPLETION);
        assertThat(settings.stop()).containsExactly("The end", "!");
    }

    @Test
    void everyBadValueNamesItsOption() {
        Map<String, String> bad = Map.of("max-tokens", "0", "temperature", "-1", "top-p", "0", "top-k", "-2",
                "context-length", "1", "threads", "0", "kv-cache-size", "0", "system-prompt", "");
        bad.forEach((key, value) -> assertThatThrownBy(() -> PredictSettings.from(options(Map.of(key, value)),
                COMPLETION)).as(key).hasMessageContaining("'" + key + "'"));
    }

    @Test
    void outputMustDeclareCompletion() {
        assertThatThrownBy(() -> PredictSettings.from(options(Map.of()), List.of(OutputColumn.ERROR)))
                .hasMessageContaining("'completion STRING'");
    }

    @Test
    void outputColumnsAreKnownByNameAndType() {
        assertThat(OutputColumn.of("prompt_tokens", new IntType())).isEqualTo(OutputColumn.PROMPT_TOKENS);
        assertThat(OutputColumn.of("completion", new VarCharType(VarCharType.MAX_LENGTH)))
                .isEqualTo(OutputColumn.COMPLETION);
        assertThatThrownBy(() -> OutputColumn.of("Completion", new VarCharType(10)))
                .hasMessageContaining("unknown output column 'Completion'").hasMessageContaining("finish_reason STRING");
        assertThatThrownBy(() -> OutputColumn.of("prompt_tokens", new VarCharType(10)))
                .hasMessageContaining("'prompt_tokens' must be INT");
    }

    private static Configuration options(Map<String, String> values) {
        Configuration conf = new Configuration();
        conf.setString("model", "builtin:stories260K");
        values.forEach(conf::setString);
        return conf;
    }
}
