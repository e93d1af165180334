package io.prefixflow.jobs.cli;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.FinishReason;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.serde.AvroBinary;
import io.prefixflow.operator.config.InferenceSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quickstart}: the whole system on one machine, nothing to install. Starts a Kafka broker in-process
 * (KRaft, 127.0.0.1 only), produces the built-in sample prompts ({@link SamplePrompts}), runs the job on an
 * in-process Flink (RocksDB, a checkpoint every second, exactly-once sinks), prints every completion as a
 * {@code read_committed} consumer sees it, with a progress bar, and a closing summary. Exits 0 when every
 * prompt has its completion; 1 if the job fails or the time-out passes first.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Run the job end to end on an in-process Kafka and Flink with built-in sample prompts.")
final class QuickstartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--prompts", paramLabel = "N", description = "How many sample prompts (default 32).")
    int numPrompts = 32;

    @Option(names = "--parallelism", paramLabel = "N", description = "Inference subtasks (default 2).")
    int parallelism = 2;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up after this long (default 5m).")
    Duration timeout = Duration.ofMinutes(5);

    @Option(names = "--quiet", description = "Print only the summary, not every completion.")
    boolean quiet;

    @Mixin
    InferenceOptionsMixin inference;

    @Override
    public Integer call() throws Exception {
        if (numPrompts < 1) {
            throw new IllegalArgumentException("--prompts must be >= 1, got " + numPrompts);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be >= 1, got " + parallelism);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("Starting Kafka (in-process) ...");
        try (LocalStack stack = LocalStack.start()) {
            LocalStack.Topics topics = LocalStack.Topics.withPrefix("");
            stack.createTopics(topics, parallelism);
            List<InferenceRequest> requests = SamplePrompts.build(numPrompts);
            stack.produce(topics.prompts(), requests);
            Configuration conf = stack.jobConfiguration(topics, "prefixflow-quickstart", false);
            inference.applyTo(conf);
            InferenceSettings settings = InferenceSettings.from(conf);
            err.println("Sent " + requests.size() + " prompts; starting Flink with model " + settings.model()
                    + ", parallelism " + parallelism + " ...");
            long startNanos = System.nanoTime();
            JobClient job = LocalStack.submit(conf, parallelism, "prefixflow quickstart");
            try {
                Map<String, Completion> done = awaitCompletions(stack, topics.completions(), job, requests.size(),
                        out);
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                if (done.size() < requests.size()) {
                    err.println("error: only " + done.size() + " of " + requests.size()
                            + " completions arrived within --timeout " + timeout.toSeconds() + " s");
                    return 1;
                }
                printSummary(done, seconds, out);
                return 0;
            } catch (LocalStack.JobFailedException e) {
                err.println("error: the job failed: " + e.getMessage());
                return 1;
            } finally {
                LocalStack.cancel(job);
            }
        }
    }

    /** Reads committed completions until all arrived, the job fails, or the time-out passes. */
    private Map<String, Completion> awaitCompletions(LocalStack stack, String topic, JobClient job, int expected,
                                                     PrintWriter out) throws Exception {
        Properties props = stack.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        AvroBinary<Completion> codec = AvroBinary.of(Completion.class);
        Map<String, Completion> done = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
             ProgressBar bar = new ProgressBarBuilder()
                     .setTaskName("completions")
                     .setInitialMax(expected)
                     .setStyle(ProgressBarStyle.ASCII)
                     .setUpdateIntervalMillis(250)
                     .setConsumer(new ConsoleProgressBarConsumer(System.err))
                     .build()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (done.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Completion c = codec.decode(record.value());
                    if (done.putIfAbsent(c.getRequestId(), c) == null) {
                        bar.step();
                        if (!quiet) {
                            out.println(describe(c));
                            out.flush();
                        }
                    }
                }
                LocalStack.failIfEnded(job);
            }
        }
        return done;
    }

    private static String describe(Completion c) {
        String text = c.getFinishReason() == FinishReason.ERROR ? "error: " + c.getError()
                : c.getText().replace("\n", " ").strip();
        return String.format("[%s] (subtask %d, %d of %d prompt tokens cached, %d tokens, %s) %s",
                c.getRequestId(), c.getServedBySubtask(), c.getCachedPromptTokens(), c.getPromptTokens(),
                c.getCompletionTokens(), c.getFinishReason().name().toLowerCase(java.util.Locale.ROOT), text);
    }

    private static void printSummary(Map<String, Completion> done, double seconds, PrintWriter out) {
        long promptTokens = 0;
        long cachedTokens = 0;
        long generated = 0;
        long errors = 0;
        for (Completion c : done.values()) {
            promptTokens += c.getPromptTokens();
            cachedTokens += c.getCachedPromptTokens();
            generated += c.getCompletionTokens();
            if (c.getFinishReason() == FinishReason.ERROR) {
                errors++;
            }
        }
        out.println();
        out.println("Summary");
        out.printf("  requests            %d%n", done.size());
        out.printf("  completions         %d (%d errors)%n", done.size(), errors);
        out.printf("  generated tokens    %d in %.1f s: %.1f tokens/s (job start to last completion)%n",
                generated, seconds, generated / Math.max(seconds, 1e-9));
        out.printf("  prefix-cache hits   %d of %d prompt tokens (%.1f%%)%n", cachedTokens, promptTokens,
                promptTokens == 0 ? 0.0 : 100.0 * cachedTokens / promptTokens);
        out.flush();
    }
}
