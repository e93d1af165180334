package io.prefixflow.operator.prepare;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import io.prefixflow.operator.Completions;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.config.ModelSpecs;
import io.prefixflow.operator.config.RoutingMode;
import io.prefixflow.runtime.model.Model;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The validate + tokenize + fingerprint stage: renders chat messages with the model's chat template,
 * tokenizes, checks the prompt fits the model's context and computes the routing key ({@link RoutingKeys}, or
 * {@link RoundRobinKeys} under {@link RoutingMode#ROUND_ROBIN}; the inference operator must have this stage's
 * parallelism).
 *
 * <p>Requests reach it decoded and validated (the connectors dead-letter bytes that do not decode and
 * invalid fields). What can only be judged against the model is answered here, on the side output
 * {@link #ERRORS}, with a {@link Completion} of finish reason {@code ERROR} and a message, keyed by the
 * request id like every other completion: a chat request for a model without a chat template, a template
 * that fails, a prompt as long as the context or longer. NOTE: a completion rather than a dead letter,
 * because the request itself is well formed and its producer waits for an answer under its id; and the
 * prepare stage no longer has the Kafka record's origin. Any other failure to prepare one request is
 * answered the same way; it never fails the job.
 */
public final class PrepareFunction extends ProcessFunction<InferenceRequest, PreparedRequest> {
    private static final long serialVersionUID = 1L;

    /** Error completions of requests that cannot be served by this model. */
    public static final OutputTag<Completion> ERRORS =
            new OutputTag<>("prepare-errors", new AvroTypeInfo<>(Completion.class));

    private final InferenceSettings settings;
    private transient PromptEncoder encoder;
    private transient Model model;
    private transient RoundRobinKeys roundRobin;

    public PrepareFunction(InferenceSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void open(OpenContext openContext) {
        model = ModelSpecs.load(settings);
        encoder = new PromptEncoder(model, ControlTokens.of(settings.model()));
        if (settings.routingMode() == RoutingMode.ROUND_ROBIN) {
            var task = getRuntimeContext().getTaskInfo();
            roundRobin = new RoundRobinKeys(task.getNumberOfParallelSubtasks(), task.getMaxNumberOfParallelSubtasks(),
                    task.getIndexOfThisSubtask());
        }
    }

    @Override
    public void processElement(InferenceRequest request, Context ctx, Collector<PreparedRequest> out) {
        int[] tokens;
        try {
            tokens = request.getMessages() != null
                    ? encoder.encodeChat(request.getMessages())
                    : encoder.encodePrompt(request.getPrompt());
        } catch (ChatTemplateException e) {
            ctx.output(ERRORS, Completions.error(request, 0, e.getMessage(), Completions.NOT_SERVED));
            return;
        } catch (RuntimeException e) {
            ctx.output(ERRORS, Completions.error(request, 0, "cannot tokenize the prompt: " + e,
                    Completions.NOT_SERVED));
            return;
        }
        int context = model.config().contextLength();
        if (tokens.length >= context) {
            ctx.output(ERRORS, Completions.error(request, tokens.length, "the prompt has " + tokens.length
                    + " tokens, but the model's context holds " + context
                    + " (prompt plus at least one generated token); shorten the prompt", Completions.NOT_SERVED));
            return;
        }
        if (tokens.length == 0) {
            ctx.output(ERRORS, Completions.error(request, 0, "the prompt encodes to no tokens",
                    Completions.NOT_SERVED));
            return;
        }
        if (roundRobin != null) {
            out.collect(new PreparedRequest(request, tokens, roundRobin.next(), System.currentTimeMillis()));
            return;
        }
        BlockHash namespace = BlockHasher.namespace(model.name(), request.getTenant());
        String key = RoutingKeys.routingKey(request.getCacheKey(), tokens, settings.blockSize(),
                settings.routingPrefixBlocks(), namespace);
        out.collect(new PreparedRequest(request, tokens, key, System.currentTimeMillis()));
    }
}
