package io.prefixflow.operator.job;

import io.prefixflow.connectors.kafka.CompletionSinkBuilder;
import io.prefixflow.connectors.kafka.PromptSourceBuilder;
import io.prefixflow.connectors.serde.RequestOrDeadLetter;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.config.RoutingMode;
import io.prefixflow.operator.config.RoutingSettings;
import io.prefixflow.operator.feedback.KafkaLoadChannel;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole job: Kafka prompts → {@link InferencePipeline} → Kafka completions (exactly once), dead letters
 * and, when configured, completion chunks. The same graph runs in the quickstart's MiniCluster, under the
 * {@code run} command, and on a Flink cluster.
 *
 * <pre>{@code
 * Configuration conf = KafkaInferenceJob.defaults();
 * conf.set(KafkaJobOptions.BOOTSTRAP_SERVERS, "localhost:9092"); ...
 * StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
 * KafkaInferenceJob.addTo(env, KafkaJobSettings.from(conf), InferenceSettings.from(conf));
 * env.execute("prefixflow");
 * }</pre>
 */
public final class KafkaInferenceJob {
    private KafkaInferenceJob() {
    }

    /**
     * The job settings PrefixFlow relies on, to put under a user's own: RocksDB state with incremental
     * checkpoints, a checkpoint every 2 s (the exactly-once sinks commit on checkpoints, so this is also the
     * output latency), and no Kryo (all our records are Avro or POJOs).
     */
    public static Configuration defaults() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofSeconds(2));
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /** Adds source, pipeline and sinks to {@code env}. */
    public static void addTo(StreamExecutionEnvironment env, KafkaJobSettings kafka, InferenceSettings inference) {
        PromptSourceBuilder source = new PromptSourceBuilder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(kafka.inputTopic())
                .setGroupId(kafka.groupId())
                .setRequestLimits(inference.limits());
        if (kafka.bounded()) {
            source.setBounded(OffsetsInitializer.latest());
        }
        DataStream<RequestOrDeadLetter> input = env.fromSource(source.build(), WatermarkStrategy.noWatermarks(),
                "prompts").uid("prompts");
        InferencePipeline.Outputs outputs = InferencePipeline.build(input, inference, loadChannel(kafka, inference));
        String prefix = kafka.groupId();
        outputs.completions().sinkTo(CompletionSinkBuilder.forCompletions()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopic(kafka.outputTopic())
                        .setTransactionalIdPrefix(prefix + "-completions")
                        .setTransactionTimeout(kafka.transactionTimeout())
                        .setDeliveryGuarantee(kafka.deliveryGuarantee())
                        .build())
                .name("completions").uid("completions-sink");
        outputs.deadLetters().sinkTo(CompletionSinkBuilder.forDeadLetters()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopic(kafka.deadLetterTopic())
                        .setTransactionalIdPrefix(prefix + "-dead-letters")
                        .setTransactionTimeout(kafka.transactionTimeout())
                        .setDeliveryGuarantee(kafka.deliveryGuarantee())
                        .build())
                .name("dead letters").uid("dead-letters-sink");
        if (kafka.chunkTopic() != null) {
            outputs.chunks().sinkTo(CompletionSinkBuilder.forChunks()
                            .setBootstrapServers(kafka.bootstrapServers())
                            .setTopic(kafka.chunkTopic())
                            .setTransactionalIdPrefix(prefix + "-chunks")
                            .setTransactionTimeout(kafka.transactionTimeout())
                            .setDeliveryGuarantee(kafka.deliveryGuarantee())
                            .build())
                    .name("completion chunks").uid("chunks-sink");
        }
    }

    /** The load feedback channel when the routing reads reports (CACHE_AWARE with a report interval), else null. */
    static KafkaLoadChannel loadChannel(KafkaJobSettings kafka, InferenceSettings inference) {
        RoutingSettings routing = inference.routing();
        if (inference.isRemote() || routing.mode() != RoutingMode.CACHE_AWARE || routing.loadReportIntervalMs() == 0) {
            return null;
        }
        // a change under a quarter of the balance threshold cannot move a decision past the bound: not worth a report
        return new KafkaLoadChannel(kafka.bootstrapServers(), kafka.loadTopic(), routing.loadReportIntervalMs(),
                Math.max(1, routing.balanceAbsTokens() / 4));
    }
}
