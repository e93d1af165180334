package io.prefixflow.operator.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

/**
 * The {@code prefixflow} model provider of Flink SQL: {@code ML_PREDICT} runs the model in the TaskManager,
 * on one continuously batching engine per slot.
 *
 * <pre>{@code
 * CREATE MODEL story
 *   INPUT (prompt STRING)
 *   OUTPUT (completion STRING, finish_reason STRING, error STRING)
 *   WITH ('provider' = 'prefixflow', 'model' = 'builtin:stories260K', 'max-tokens' = '24');
 * SELECT id, completion FROM ML_PREDICT(TABLE prompts, MODEL story, DESCRIPTOR(prompt));
 * }</pre>
 *
 * <p>INPUT is one STRING column, the prompt. OUTPUT declares {@code completion STRING} and any of the other
 * {@link OutputColumn}s by name; an unknown name is an error naming it. The options are
 * {@link PrefixFlowModelOptions}; an unknown option is an error naming it.
 */
public final class PrefixFlowModelProviderFactory implements ModelProviderFactory {
    /** The value of {@code 'provider'}. */
    public static final String IDENTIFIER = "prefixflow";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(PrefixFlowModelOptions.MODEL);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(PrefixFlowModelOptions.TOKENIZER, PrefixFlowModelOptions.CONTEXT_LENGTH,
                PrefixFlowModelOptions.BACKEND, PrefixFlowModelOptions.THREADS, PrefixFlowModelOptions.KV_CACHE_SIZE,
                PrefixFlowModelOptions.MAX_TOKENS, PrefixFlowModelOptions.TEMPERATURE, PrefixFlowModelOptions.TOP_P,
                PrefixFlowModelOptions.TOP_K, PrefixFlowModelOptions.SEED, PrefixFlowModelOptions.STOP,
                PrefixFlowModelOptions.SYSTEM_PROMPT, PrefixFlowModelOptions.RESPONSE_FORMAT);
    }

    @Override
    public ModelProvider createModelProvider(Context context) {
        FactoryUtil.ModelProviderFactoryHelper helper = FactoryUtil.createModelProviderFactoryHelper(this, context);
        helper.validate();
        ResolvedCatalogModel model = context.getCatalogModel();
        String name = context.getObjectIdentifier().asSummaryString();
        checkInput(name, model.getResolvedInputSchema());
        List<OutputColumn> outputs = outputsOf(name, model.getResolvedOutputSchema());
        return new PrefixFlowModelProvider(PredictSettings.from(helper.getOptions(), outputs));
    }

    private static void checkInput(String model, ResolvedSchema input) {
        List<Column> columns = input.getColumns();
        if (columns.size() != 1
                || !columns.get(0).getDataType().getLogicalType().is(LogicalTypeFamily.CHARACTER_STRING)) {
            throw new IllegalArgumentException("the INPUT of prefixflow model " + model + " must be one STRING column"
                    + " (the prompt), got " + input);
        }
    }

    private static List<OutputColumn> outputsOf(String model, ResolvedSchema output) {
        List<OutputColumn> outputs = new ArrayList<>();
        for (Column column : output.getColumns()) {
            try {
                outputs.add(OutputColumn.of(column.getName(), column.getDataType().getLogicalType()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("prefixflow model " + model + ": " + e.getMessage(), e);
            }
        }
        return outputs;
    }
}
