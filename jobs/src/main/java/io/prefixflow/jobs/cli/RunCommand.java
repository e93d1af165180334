package io.prefixflow.jobs.cli;

import io.prefixflow.jobs.sql.RemoteCluster;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.job.KafkaInferenceJob;
import io.prefixflow.operator.job.KafkaJobOptions;
import io.prefixflow.operator.job.KafkaJobSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code run}: the job against an existing Kafka. Run by {@code java -jar} it starts an in-process Flink; with
 * {@code --jobmanager HOST:PORT} it submits the job, with this jar, to that Flink cluster's REST endpoint (as
 * {@code flink run -d} would), prints the job id and returns; {@code flink run -c io.prefixflow.jobs.RunJob
 * prefixflow.jar ...} works too.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the inference job between Kafka topics (in-process Flink, or on a cluster with"
                + " --jobmanager).")
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--jobmanager", paramLabel = "HOST:PORT",
            description = "Submit to this Flink cluster's REST endpoint (e.g. the one `cluster start` prints) and"
                    + " return once it is accepted, instead of running in-process.")
    String jobManager;

    @Option(names = "--delivery", paramLabel = "exactly-once|at-least-once",
            description = "The sinks' delivery guarantee (default exactly-once: Kafka transactions committed on"
                    + " checkpoints).")
    String delivery;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT,...", description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--input-topic", required = true, paramLabel = "TOPIC", description = "Topic of Avro InferenceRequests.")
    String inputTopic;

    @Option(names = "--output-topic", required = true, paramLabel = "TOPIC", description = "Topic for Avro Completions.")
    String outputTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC",
            description = "Topic for DeadLetters (default: INPUT-TOPIC.dead-letters).")
    String deadLetterTopic;

    @Option(names = "--chunk-topic", paramLabel = "TOPIC",
            description = "Topic for CompletionChunks of stream=true requests (default: none).")
    String chunkTopic;

    @Option(names = "--group-id", paramLabel = "ID", description = "Consumer group and transactional id prefix (default prefixflow).")
    String groupId;

    @Option(names = "--parallelism", paramLabel = "N", description = "Parallelism of the job (default: Flink's).")
    Integer parallelism;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Checkpoint (and commit) interval, e.g. 2s (default 2s).")
    Duration checkpointInterval;

    @Option(names = "--checkpoint-dir", paramLabel = "URI", description = "Where checkpoints go, e.g. file:///tmp/ckpt or s3://...")
    String checkpointDir;

    @Mixin
    InferenceOptionsMixin inference;

    @Override
    public Integer call() throws Exception {
        Configuration conf = configuration();
        // NOTE: getExecutionEnvironment(conf) runs in-process whatever execution.target says; the constructor
        // honours it (remote, with --jobmanager).
        StreamExecutionEnvironment env = jobManager == null ? StreamExecutionEnvironment.getExecutionEnvironment(conf)
                : new StreamExecutionEnvironment(conf);
        if (parallelism != null) {
            env.setParallelism(parallelism);
        }
        KafkaInferenceJob.addTo(env, KafkaJobSettings.from(conf), InferenceSettings.from(conf));
        String name = "prefixflow " + inputTopic + " -> " + outputTopic;
        if (jobManager == null) {
            env.execute(name);
            return 0;
        }
        JobClient job = env.executeAsync(name);
        spec.commandLine().getOut().println("submitted job " + job.getJobID() + " to " + jobManager);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The job's configuration from the options, checked. */
    Configuration configuration() {
        Configuration conf = KafkaInferenceJob.defaults();
        LocalFlink.loopbackOnly(conf);
        inference.applyTo(conf);
        conf.set(KafkaJobOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        conf.set(KafkaJobOptions.INPUT_TOPIC, inputTopic);
        conf.set(KafkaJobOptions.OUTPUT_TOPIC, outputTopic);
        if (deadLetterTopic != null) {
            conf.set(KafkaJobOptions.DEAD_LETTER_TOPIC, deadLetterTopic);
        }
        if (chunkTopic != null) {
            conf.set(KafkaJobOptions.CHUNK_TOPIC, chunkTopic);
        }
        if (groupId != null) {
            conf.set(KafkaJobOptions.GROUP_ID, groupId);
        }
        if (checkpointInterval != null) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        }
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }
        if (delivery != null) {
            conf.set(KafkaJobOptions.DELIVERY_GUARANTEE, parseDelivery(delivery));
        }
        if (jobManager != null) {
            conf.addAll(RemoteCluster.configuration(jobManager));
        }
        KafkaJobSettings.from(conf);
        InferenceSettings.from(conf);
        return conf;
    }

    /** {@code exactly-once} or {@code at-least-once} (any case, {@code -} or {@code _}). */
    static DeliveryGuarantee parseDelivery(String text) {
        String name = text.strip().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if (name.equals(DeliveryGuarantee.EXACTLY_ONCE.toString())) {
            return DeliveryGuarantee.EXACTLY_ONCE;
        }
        if (name.equals(DeliveryGuarantee.AT_LEAST_ONCE.toString())) {
            return DeliveryGuarantee.AT_LEAST_ONCE;
        }
        throw new IllegalArgumentException("--delivery " + text + ": expected exactly-once or at-least-once");
    }
}
