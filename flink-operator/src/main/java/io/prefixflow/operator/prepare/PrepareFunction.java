package io.prefixflow.operator.prepare;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import io.prefixflow.operator.Completions;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.config.ModelSpecs;
import io.prefixflow.operator.config.RoutingMode;
import io.prefixflow.operator.feedback.KafkaLoadChannel;
import io.prefixflow.operator.feedback.LoadSubscriber;
import io.prefixflow.operator.config.TemplateLimits;
import io.prefixflow.operator.routing.RouteRequest;
import io.prefixflow.operator.routing.Router;
import io.prefixflow.operator.routing.RoutingDecision;
import io.prefixflow.operator.routing.RoutingReason;
import io.prefixflow.operator.routing.SubtaskKeys;
import io.prefixflow.runtime.model.Model;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The validate + tokenize + fingerprint stage: renders chat messages with the model's chat template,
 * tokenizes, checks the prompt fits the model's context and picks the inference subtask with the
 * {@link Router} of the configured {@link RoutingMode}; the request carries that subtask's {@link SubtaskKeys key}
 * (the inference operator must have this stage's parallelism and max parallelism, as the job builds them).
 * Each decision is counted in the metric group {@code prefixflow.routing} by reason ({@code prefixHit},
 * {@code overload}, {@code cold}, {@code fingerprint}, {@code roundRobin}), with the prompt tokens the router
 * expected to be cached ({@code expectedCachedTokens}).
 *
 * <p>Requests reach it decoded and validated (the connectors dead-letter bytes that do not decode and
 * invalid fields). What can only be judged against the model is answered here, on the side output
 * {@link #ERRORS}, with a {@link Completion} of finish reason {@code ERROR} and a message, keyed by the
 * request id like every other completion: a chat request for a model without a chat template, a template
 * that fails or overruns its {@link TemplateLimits}, a prompt as long as the context or longer (one whose size
 * alone proves it is refused before tokenization). NOTE: a completion rather than a dead letter,
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
    private final KafkaLoadChannel loadChannel;
    private transient LoadSubscriber loadReports;
    private transient PromptEncoder encoder;
    private transient Model model;
    private transient Router router;
    private transient SubtaskKeys subtaskKeys;
    private transient Map<RoutingReason, Counter> decisions;
    private transient Counter expectedCachedTokens;

    public PrepareFunction(InferenceSettings settings) {
        this(settings, null);
    }

    /** With {@code loadChannel} non-null, the router balances on the inference subtasks' load reports. */
    public PrepareFunction(InferenceSettings settings, KafkaLoadChannel loadChannel) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.loadChannel = loadChannel;
    }

    @Override
    public void open(OpenContext openContext) {
        model = ModelSpecs.load(settings);
        encoder = new PromptEncoder(model, ControlTokens.of(settings.model()), settings.templateLimits());
        var task = getRuntimeContext().getTaskInfo();
        int parallelism = task.getNumberOfParallelSubtasks();
        int maxParallelism = task.getMaxNumberOfParallelSubtasks();
        subtaskKeys = new SubtaskKeys(parallelism, maxParallelism);
        router = settings.routing().newRouter(parallelism, maxParallelism, parallelism, task.getIndexOfThisSubtask(),
                settings.blockSize());
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("prefixflow").addGroup("routing");
        decisions = new EnumMap<>(RoutingReason.class);
        for (RoutingReason reason : RoutingReason.values()) {
            decisions.put(reason, group.counter(reason.metricName()));
        }
        expectedCachedTokens = group.counter("expectedCachedTokens");
        if (loadChannel != null) {
            loadReports = loadChannel.startSubscriber(getRuntimeContext().getJobInfo().getJobId().toString(),
                    parallelism, task.getIndexOfThisSubtask());
            group.gauge("loadReports", (Gauge<Long>) loadReports::numReports);
        }
    }

    @Override
    public void close() throws Exception {
        if (loadReports != null) {
            loadReports.close();
        }
        super.close();
    }

    @Override
    public void processElement(InferenceRequest request, Context ctx, Collector<PreparedRequest> out) {
        int context = model.config().contextLength();
        int[] tokens;
        try {
            tokens = request.getMessages() != null
                    ? encoder.encodeChat(request.getMessages(), context - 1)
                    : encoder.encodePrompt(request.getPrompt(), context - 1);
        } catch (PromptTooLongException e) {
            ctx.output(ERRORS, Completions.error(request, 0, "the prompt has at least " + e.leastTokens()
                    + " tokens (counted from its size, before tokenizing), but the model's context holds " + context
                    + " (prompt plus at least one generated token); shorten the prompt", Completions.NOT_SERVED));
            return;
        } catch (ChatTemplateException e) {
            ctx.output(ERRORS, Completions.error(request, 0, e.getMessage(), Completions.NOT_SERVED));
            return;
        } catch (RuntimeException e) {
            ctx.output(ERRORS, Completions.error(request, 0, "cannot tokenize the prompt: " + e,
                    Completions.NOT_SERVED));
            return;
        }
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
        BlockHash namespace = BlockHasher.namespace(model.name(), request.getTenant());
        long nowMs = System.currentTimeMillis();
        if (loadReports != null) {
            loadReports.drainTo(router, nowMs);
        }
        RoutingDecision decision = router.route(
                new RouteRequest(request.getCacheKey(), tokens, request.getMaxTokens(), namespace), nowMs);
        decisions.get(decision.reason()).inc();
        expectedCachedTokens.inc(decision.matchedPromptTokens());
        out.collect(new PreparedRequest(request, tokens, subtaskKeys.keyOf(decision.subtask()), nowMs,
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), decision.routeSeq()));
    }
}
