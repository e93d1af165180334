package io.prefixflow.connectors.kafka;

import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.serde.RequestOrDeadLetter;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits the prompt source's output: valid requests go on as the main output, dead letters to
 * the side output {@link #DEAD_LETTERS}.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<InferenceRequest> requests =
 *         input.process(new DeadLetterSplitter()).returns(DeadLetterSplitter.REQUEST_TYPE);
 * requests.getSideOutput(DeadLetterSplitter.DEAD_LETTERS).sinkTo(deadLetterSink);
 * }</pre>
 */
public final class DeadLetterSplitter extends ProcessFunction<RequestOrDeadLetter, InferenceRequest> {
    private static final long serialVersionUID = 1L;

    /** Flink type of the main output (Avro, not Kryo). */
    public static final AvroTypeInfo<InferenceRequest> REQUEST_TYPE = new AvroTypeInfo<>(InferenceRequest.class);

    /** The side output carrying dead letters. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    @Override
    public void processElement(RequestOrDeadLetter value, Context ctx, Collector<InferenceRequest> out) {
        if (value.isRequest()) {
            out.collect(value.getRequest());
        } else {
            ctx.output(DEAD_LETTERS, value.getDeadLetter());
        }
    }
}
