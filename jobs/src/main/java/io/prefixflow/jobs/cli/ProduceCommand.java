package io.prefixflow.jobs.cli;

import io.prefixflow.connectors.avro.InferenceRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code produce}: JSON Lines (a file or stdin) → Avro {@code InferenceRequest}s on a topic, keyed by id. Every
 * line is parsed and validated first; a bad line is an error naming it, and then nothing is sent.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Send JSON Lines prompts (file or stdin) to a topic as Avro InferenceRequests.")
final class ProduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT,...", description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The prompts topic.")
    String topic;

    @Option(names = "--file", paramLabel = "FILE.jsonl",
            description = "One JSON object per line: id, tenant, prompt or messages, max_tokens, temperature, top_p,"
                    + " top_k, seed, stop, priority, stream, cache_key, deadline_ms, metadata (default: stdin).")
    Path file;

    @Override
    public Integer call() throws Exception {
        List<InferenceRequest> requests = read();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(LocalStack.byteProducerProperties(props))) {
            LocalStack.sendAll(producer, topic, requests);
        }
        spec.commandLine().getErr().println("sent " + requests.size() + " requests to " + topic);
        return 0;
    }

    private List<InferenceRequest> read() throws IOException {
        String source = file == null ? "stdin" : file.toString();
        List<InferenceRequest> requests = new ArrayList<>();
        try (BufferedReader in = file == null
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    requests.add(RequestJson.parse(line, "line-" + number));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + " line " + number + ": " + e.getMessage(), e);
                }
            }
        }
        if (requests.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no request");
        }
        return requests;
    }
}
