package io.prefixflow.operator.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The settings of the remote backend ({@link ServingBackend#OPENAI}) as typed Flink {@link ConfigOption}s;
 * read and checked into {@link RemoteSettings}.
 */
public final class RemoteOptions {
    private RemoteOptions() {
    }

    /** Engine in the operator, or a remote server. */
    public static final ConfigOption<ServingBackend> SERVING_BACKEND = ConfigOptions.key("prefixflow.serving.backend")
            .enumType(ServingBackend.class)
            .defaultValue(ServingBackend.ENGINE)
            .withDescription("ENGINE serves with the engine inside the Flink operator; OPENAI sends each prompt"
                    + " to an external OpenAI-compatible /v1/completions server (prefixflow.openai.endpoint)"
                    + " through Flink's async I/O, skipping tokenization and prefix routing.");

    /** Base URL of the server. */
    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("prefixflow.openai.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Base URL of the OpenAI-compatible server, e.g. http://localhost:8000; requests go"
                    + " to ENDPOINT/v1/completions. Required when prefixflow.serving.backend is OPENAI.");

    /** Model name sent to the server. */
    public static final ConfigOption<String> MODEL = ConfigOptions.key("prefixflow.openai.model")
            .stringType()
            .noDefaultValue()
            .withDescription("The \"model\" field of each request; when unset it is left out, and servers that"
                    + " serve one model (vLLM, llama.cpp) use theirs.");

    /** Bound on outstanding requests per subtask. */
    public static final ConfigOption<Integer> MAX_IN_FLIGHT = ConfigOptions.key("prefixflow.openai.max-in-flight")
            .intType()
            .defaultValue(64)
            .withDescription("Most requests one async subtask has outstanding at the server; when full it stops"
                    + " taking input, so backpressure reaches Kafka.");

    /** Time budget of one request, retries included. */
    public static final ConfigOption<Duration> TIMEOUT = ConfigOptions.key("prefixflow.openai.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("Most time one request may take, retries included; past it the request is answered"
                    + " with an error completion.");

    /** Retries of one request. */
    public static final ConfigOption<Integer> MAX_RETRIES = ConfigOptions.key("prefixflow.openai.max-retries")
            .intType()
            .defaultValue(3)
            .withDescription("Retries after a connection error, HTTP 429 or 5xx, with exponential backoff;"
                    + " then the request is answered with an error completion.");

    /** First retry delay. */
    public static final ConfigOption<Duration> RETRY_BACKOFF = ConfigOptions.key("prefixflow.openai.retry-backoff")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("Delay before the first retry; it doubles with each further retry.");
}
