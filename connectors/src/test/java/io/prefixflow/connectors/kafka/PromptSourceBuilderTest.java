package io.prefixflow.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.junit.jupiter.api.Test;

class PromptSourceBuilderTest {

    @Test
    void buildsAnUnboundedSourceWithDefaults() {
        var source = new PromptSourceBuilder().setBootstrapServers("127.0.0.1:9092").setTopics("prompts").build();
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
    }

    @Test
    void boundedWhenAskedTo() {
        var source = new PromptSourceBuilder().setBootstrapServers("127.0.0.1:9092").setTopics("prompts")
                .setBounded(OffsetsInitializer.latest()).build();
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
    }

    @Test
    void namesEveryMissingSetting() {
        assertThatThrownBy(() -> new PromptSourceBuilder().setGroupId(" ").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bootstrapServers is required (setBootstrapServers)")
                .hasMessageContaining("topics is required")
                .hasMessageContaining("groupId must not be blank (setGroupId)");
    }

    @Test
    void refusesPropertiesThatHaveASetter() {
        assertThatThrownBy(() -> new PromptSourceBuilder().setBootstrapServers("h:1").setTopics("p")
                .setProperty("group.id", "x").build())
                .hasMessageContaining("property 'group.id' is set by this builder");
    }
}
