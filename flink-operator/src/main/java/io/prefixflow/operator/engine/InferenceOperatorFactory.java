package io.prefixflow.operator.engine;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.feedback.KafkaLoadChannel;
import io.prefixflow.operator.prepare.PreparedRequest;
import java.util.Objects;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/**
 * Creates {@link InferenceOperator}s with their mailbox executor. Use it after {@code keyBy(routing key)}:
 * {@code prepared.keyBy(PreparedRequest::getRoutingKey).transform("inference", completionType, factory)}.
 */
public final class InferenceOperatorFactory extends AbstractStreamOperatorFactory<Completion>
        implements OneInputStreamOperatorFactory<PreparedRequest, Completion> {
    private static final long serialVersionUID = 1L;

    private final InferenceSettings settings;
    private final KafkaLoadChannel loadChannel;

    public InferenceOperatorFactory(InferenceSettings settings) {
        this(settings, null);
    }

    /** With {@code loadChannel} non-null, every subtask publishes its outstanding work on it. */
    public InferenceOperatorFactory(InferenceSettings settings, KafkaLoadChannel loadChannel) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.loadChannel = loadChannel;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<Completion>> T createStreamOperator(StreamOperatorParameters<Completion> parameters) {
        return (T) new InferenceOperator(parameters, settings, loadChannel, parameters.getMailboxExecutor());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return InferenceOperator.class;
    }
}
