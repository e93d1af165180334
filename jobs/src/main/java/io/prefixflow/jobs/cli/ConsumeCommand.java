package io.prefixflow.jobs.cli;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.serde.AvroBinary;
import io.prefixflow.connectors.serde.MalformedRecordException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code consume}: Avro {@code Completion}s from a topic → one JSON object per line on stdout, read as a
 * {@code read_committed} consumer from the beginning; stops after {@code --max} completions or when none has
 * arrived for {@code --timeout}.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Print completions from a topic as JSON Lines.")
final class ConsumeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT,...", description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The completions topic.")
    String topic;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N completions (default: no limit).")
    Integer max;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop when nothing arrived for this long, e.g. 30s (default 30s).")
    Duration timeout = Duration.ofSeconds(30);

    @Override
    public Integer call() throws MalformedRecordException {
        if (max != null && max < 1) {
            throw new IllegalArgumentException("--max must be >= 1, got " + max);
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "prefixflow-consume-" + System.nanoTime());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        AvroBinary<Completion> codec = AvroBinary.of(Completion.class);
        PrintWriter out = spec.commandLine().getOut();
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(java.util.List.of(topic));
            long quietSince = System.nanoTime();
            while (max == null || count < max) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    out.println(CompletionJson.toJson(codec.decode(record.value())));
                    count++;
                    if (max != null && count >= max) {
                        break;
                    }
                }
                out.flush();
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > timeout.toNanos()) {
                    break;
                }
            }
        }
        spec.commandLine().getErr().println("read " + count + " completions from " + topic);
        return 0;
    }
}
