package io.prefixflow.jobs.cli;

import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.embedded.EmbeddedKafka;
import io.prefixflow.connectors.serde.AvroBinary;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.job.KafkaInferenceJob;
import io.prefixflow.operator.job.KafkaJobOptions;
import io.prefixflow.operator.job.KafkaJobSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The whole system in this process, as {@code quickstart} and {@code bench} run it: a Kafka broker (KRaft,
 * 127.0.0.1 only) and jobs on in-process Flink MiniClusters (RocksDB, a checkpoint every second,
 * exactly-once sinks, two restarts at most). Each job gets its own topics, named by a prefix.
 */
final class LocalStack implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final Path checkpoints;

    private LocalStack(EmbeddedKafka kafka, Path checkpoints) {
        this.kafka = kafka;
        this.checkpoints = checkpoints;
    }

    /**
     * The topics of one job.
     *
     * @param prompts     input
     * @param completions output
     * @param deadLetters input that does not decode
     * @param chunks      streamed completion chunks
     */
    record Topics(String prompts, String completions, String deadLetters, String chunks) {
        /** Topics named {@code <prefix>prompts}, ... */
        static Topics withPrefix(String prefix) {
            return new Topics(prefix + "prompts", prefix + "completions", prefix + "dead-letters",
                    prefix + "completion-chunks");
        }
    }

    /** Starts the broker. NOTE: Kafka's test kit prints its storage formatting to System.out; silence it. */
    static LocalStack start() throws Exception {
        Path checkpoints = Files.createTempDirectory("prefixflow-local-checkpoints");
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return new LocalStack(EmbeddedKafka.start(), checkpoints);
        } finally {
            System.setOut(stdout);
        }
    }

    /** Client properties for this broker. */
    Properties clientProperties() {
        return kafka.clientProperties();
    }

    /** The broker's {@code host:port}. */
    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Creates {@code topic} with {@code partitions} partitions. */
    void createTopic(String topic, int partitions) throws Exception {
        kafka.createTopic(topic, partitions);
    }

    /** Creates the topics of a job, {@code partitions} each (dead letters: one). */
    void createTopics(Topics topics, int partitions) throws Exception {
        kafka.createTopic(topics.prompts(), partitions);
        kafka.createTopic(topics.completions(), partitions);
        kafka.createTopic(topics.deadLetters(), 1);
        kafka.createTopic(topics.chunks(), partitions);
    }

    /**
     * The job configuration for these topics; {@code inference} then sets the inference options on it.
     *
     * @param withChunks whether the job writes completion chunks
     */
    Configuration jobConfiguration(Topics topics, String groupId, boolean withChunks) {
        Configuration conf = KafkaInferenceJob.defaults();
        LocalFlink.loopbackOnly(conf);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.resolve(groupId).toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        conf.set(KafkaJobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(KafkaJobOptions.INPUT_TOPIC, topics.prompts());
        conf.set(KafkaJobOptions.OUTPUT_TOPIC, topics.completions());
        conf.set(KafkaJobOptions.DEAD_LETTER_TOPIC, topics.deadLetters());
        if (withChunks) {
            conf.set(KafkaJobOptions.CHUNK_TOPIC, topics.chunks());
        }
        conf.set(KafkaJobOptions.GROUP_ID, groupId);
        conf.set(KafkaJobOptions.TRANSACTION_TIMEOUT, kafka.transactionMaxTimeout());
        return conf;
    }

    /** Starts the job of {@code conf} on a MiniCluster of its own. */
    static JobClient submit(Configuration conf, int parallelism, String name) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        KafkaInferenceJob.addTo(env, KafkaJobSettings.from(conf), InferenceSettings.from(conf));
        return env.executeAsync(name);
    }

    /** Sends {@code requests} to {@code topic}, keyed by id; returns once every one is acknowledged. */
    void produce(String topic, List<InferenceRequest> requests) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(byteProducerProperties(clientProperties()))) {
            sendAll(producer, topic, requests);
        }
    }

    /**
     * Sends {@code requests} as Avro, keyed by id, and waits for each acknowledgement, so a record the
     * broker refused is an error here rather than a completion that never arrives.
     */
    static void sendAll(KafkaProducer<byte[], byte[]> producer, String topic, List<InferenceRequest> requests)
            throws Exception {
        AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);
        List<Future<RecordMetadata>> sent = new ArrayList<>(requests.size());
        for (InferenceRequest r : requests) {
            sent.add(producer.send(new ProducerRecord<>(topic, r.getId().getBytes(StandardCharsets.UTF_8),
                    codec.encode(r))));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("sending a request to " + topic + " failed: "
                        + rootMessage(e.getCause()), e.getCause());
            }
        }
    }

    /** {@code base} with byte-array serializers. */
    static Properties byteProducerProperties(Properties base) {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /**
     * Throws when the job reached a terminal state: with its failure, or saying it ended early.
     */
    static void failIfEnded(JobClient job) throws JobFailedException {
        try {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                return;
            }
        } catch (Exception e) {
            throw new JobFailedException(rootMessage(e), e);
        }
        Throwable cause;
        try {
            job.getJobExecutionResult().get();
            cause = new IllegalStateException("the job ended before every prompt had its completion");
        } catch (Exception e) {
            cause = e;
        }
        throw new JobFailedException(rootMessage(cause), cause);
    }

    /** Cancels the job unless it already ended. */
    static void cancel(JobClient job) throws Exception {
        if (!job.getJobStatus().get().isGloballyTerminalState()) {
            job.cancel().get();
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    @Override
    public void close() throws Exception {
        try {
            kafka.close();
        } finally {
            try (var paths = Files.walk(checkpoints)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // NOTE: a temporary folder left behind is harmless.
            }
        }
    }

    /** The job ended before every prompt had its completion. */
    static final class JobFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        JobFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
