package io.prefixflow.operator.testing;

import io.prefixflow.connectors.embedded.EmbeddedKafka;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-process broker for one test class, with its topics: register it as a static field with
 * {@code @RegisterExtension}; it starts before the class's tests and closes after them.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, Integer> partitionsByTopic = new LinkedHashMap<>();
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private EmbeddedKafka kafka;

    /** Adds a topic with {@code partitions} partitions, created when the broker starts. */
    public EmbeddedKafkaExtension topic(String name, int partitions) {
        partitionsByTopic.put(name, partitions);
        return this;
    }

    /** Overrides a broker setting, e.g. {@code message.max.bytes}. */
    public EmbeddedKafkaExtension brokerProperty(String key, String value) {
        brokerProperties.put(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = EmbeddedKafka.start(brokerProperties);
        for (Map.Entry<String, Integer> topic : partitionsByTopic.entrySet()) {
            kafka.createTopic(topic.getKey(), topic.getValue());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** The running broker; only between the class's first and last test. */
    public EmbeddedKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException("the broker runs only while the test class runs");
        }
        return kafka;
    }
}
