package io.prefixflow.operator.sql;

import io.prefixflow.runtime.engine.EngineResult;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * The output columns a {@code prefixflow} model can declare, by name, and how each is filled from a result.
 * A bad row (NULL prompt, prompt longer than the context) has an empty {@code completion}, finish reason
 * {@code error} and a message in {@code error}.
 */
public enum OutputColumn {
    /** The generated text. */
    COMPLETION("completion", true),
    /** {@code stop}, {@code length}, {@code aborted} or {@code error}. */
    FINISH_REASON("finish_reason", true),
    /** Prompt tokens, BOS and chat template included. */
    PROMPT_TOKENS("prompt_tokens", false),
    /** Prompt tokens served from the prefix cache. */
    CACHED_PROMPT_TOKENS("cached_prompt_tokens", false),
    /** Generated tokens. */
    COMPLETION_TOKENS("completion_tokens", false),
    /** Why the row failed; NULL when it did not. */
    ERROR("error", true);

    private final String columnName;
    private final boolean isString;

    OutputColumn(String columnName, boolean isString) {
        this.columnName = columnName;
        this.isString = isString;
    }

    /** The column's name in the model's OUTPUT schema. */
    public String columnName() {
        return columnName;
    }

    /** The SQL type it must have. */
    public String sqlType() {
        return isString ? "STRING" : "INT";
    }

    /**
     * The column named {@code name} of type {@code type}.
     *
     * @throws IllegalArgumentException naming the column when the name is unknown or the type does not fit
     */
    public static OutputColumn of(String name, LogicalType type) {
        OutputColumn column = Arrays.stream(values()).filter(c -> c.columnName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown output column '" + name
                        + "' of a prefixflow model; the known ones are " + knownColumns()));
        boolean fits = column.isString ? type.is(LogicalTypeFamily.CHARACTER_STRING)
                : type.is(LogicalTypeRoot.INTEGER);
        if (!fits) {
            throw new IllegalArgumentException("output column '" + name + "' must be " + column.sqlType() + ", got "
                    + type.asSummaryString());
        }
        return column;
    }

    static String knownColumns() {
        return Arrays.stream(values()).map(c -> c.columnName + " " + c.sqlType()).collect(Collectors.joining(", "));
    }

    /** The field value of this column for {@code result}. */
    Object valueOf(EngineResult result) {
        return switch (this) {
            case COMPLETION -> StringData.fromString(result.text());
            case FINISH_REASON -> StringData.fromString(result.finishReason().wireName());
            case PROMPT_TOKENS -> result.usage().promptTokens();
            case CACHED_PROMPT_TOKENS -> result.usage().cachedPromptTokens();
            case COMPLETION_TOKENS -> result.usage().completionTokens();
            case ERROR -> result.errorMessage() == null ? null : StringData.fromString(result.errorMessage());
        };
    }
}
