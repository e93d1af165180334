package io.prefixflow.operator.job;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.CompletionChunk;
import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.kafka.DeadLetterSplitter;
import io.prefixflow.connectors.serde.RequestOrDeadLetter;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.config.RemoteSettings;
import io.prefixflow.operator.engine.InferenceOperator;
import io.prefixflow.operator.feedback.KafkaLoadChannel;
import io.prefixflow.operator.engine.InferenceOperatorFactory;
import io.prefixflow.operator.prepare.PrepareFunction;
import io.prefixflow.operator.prepare.PreparedRequest;
import io.prefixflow.operator.remote.OpenAiCompletionsFunction;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's operators between the prompt source and the sinks, independent of Kafka:
 *
 * <pre>
 *   input ─► split ─► prepare ─► keyBy(routing key) ─► inference ─┬─► completions
 *             │          └─ error completions ───────────────────┘
 *             └─ dead letters                        chunks ─► chunks
 * </pre>
 *
 * Operator uids are fixed ({@code split}, {@code prepare}, {@code inference}) so savepoints survive changes
 * to the graph around them.
 *
 * <p>With the remote backend ({@link InferenceSettings#isRemote()}) the graph is shorter:
 *
 * <pre>
 *   input ─► split ─► remote inference (async I/O, unordered) ─► completions
 *             └─ dead letters
 * </pre>
 *
 * Decoding, validation and dead-lettering stay as they are; the model-specific steps of the prepare stage
 * (chat template, tokenization, context check, routing by token blocks) do not apply, because the server
 * tokenizes itself and has its own cache, so requests go straight to {@link OpenAiCompletionsFunction}
 * (uid {@code remote-inference}), at most {@link RemoteSettings#maxInFlight()} outstanding per subtask. The
 * server is called without streaming, so there are no chunks.
 */
public final class InferencePipeline {
    private InferencePipeline() {
    }

    /**
     * The three outputs of the pipeline.
     *
     * @param completions one per valid request: served, or an error completion
     * @param chunks      streamed pieces of completions of requests with {@code stream = true}
     * @param deadLetters input records that did not decode or validate
     */
    public record Outputs(DataStream<Completion> completions, DataStream<CompletionChunk> chunks,
                          DataStream<DeadLetter> deadLetters) {
    }

    /** Adds the pipeline after {@code input}. */
    public static Outputs build(DataStream<RequestOrDeadLetter> input, InferenceSettings settings) {
        return build(input, settings, null);
    }

    /**
     * Adds the pipeline after {@code input}; with {@code loadChannel} non-null, the inference subtasks report
     * their outstanding work on it and the prepare subtasks route on the reports.
     */
    public static Outputs build(DataStream<RequestOrDeadLetter> input, InferenceSettings settings,
                                KafkaLoadChannel loadChannel) {
        SingleOutputStreamOperator<InferenceRequest> requests = input
                .process(new DeadLetterSplitter()).returns(DeadLetterSplitter.REQUEST_TYPE)
                .name("split dead letters").uid("split");
        if (settings.isRemote()) {
            return remote(requests, settings.remote());
        }
        SingleOutputStreamOperator<PreparedRequest> prepared = requests
                .process(new PrepareFunction(settings, loadChannel)).returns(TypeInformation.of(PreparedRequest.class))
                .name("validate, tokenize, fingerprint").uid("prepare");
        SingleOutputStreamOperator<Completion> served = prepared
                .keyBy(PreparedRequest::getRoutingKey)
                .transform("inference", new AvroTypeInfo<>(Completion.class), new InferenceOperatorFactory(settings, loadChannel))
                .uid("inference");
        DataStream<Completion> completions = served.union(prepared.getSideOutput(PrepareFunction.ERRORS));
        return new Outputs(completions, served.getSideOutput(InferenceOperator.CHUNKS),
                requests.getSideOutput(DeadLetterSplitter.DEAD_LETTERS));
    }

    private static Outputs remote(SingleOutputStreamOperator<InferenceRequest> requests, RemoteSettings remote) {
        SingleOutputStreamOperator<Completion> served = AsyncDataStream.unorderedWait(requests,
                        new OpenAiCompletionsFunction(remote), remote.timeoutMs(), TimeUnit.MILLISECONDS,
                        remote.maxInFlight())
                .returns(new AvroTypeInfo<>(Completion.class))
                .name("remote inference (OpenAI-compatible)").uid("remote-inference");
        return new Outputs(served, served.getSideOutput(InferenceOperator.CHUNKS),
                requests.getSideOutput(DeadLetterSplitter.DEAD_LETTERS));
    }
}
